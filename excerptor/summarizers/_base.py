"""What every excerptor summarizer adds to its sumy base class (no sumy import here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class Vectorized:
    """Mixin for a sumy summarizer: ``ratings`` rates token lists without sumy's DOM, and
    ``__call__`` keeps sumy's interface on top of it (ratings keyed by position, not text)."""

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        """One rating per sentence, higher is better; ``blocks`` gives each sentence's
        paragraph (only position-aware algorithms use it)."""
        raise NotImplementedError

    def _dom_ratings(self, document: Any) -> np.ndarray:
        blocks = [i for i, p in enumerate(document.paragraphs) for _ in p.sentences]
        return self.ratings([s.words for s in document.sentences], blocks)

    def __call__(self, document: Any, sentences_count: Any) -> tuple:
        sentences = document.sentences
        if not sentences:
            return ()
        scores = iter(self._dom_ratings(document).tolist())
        return self._get_best_sentences(sentences, sentences_count, lambda _s: next(scores))
