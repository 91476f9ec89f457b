"""The one exception type excerptor raises for bad input."""

from __future__ import annotations


class ExcerptorError(ValueError):
    """Bad input that excerptor refuses (a bad value or a wrong type), with a one-line message.

    ``path`` is set when the input came from a file, so the CLI can name it.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message
