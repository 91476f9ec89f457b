"""Lead: document order, the classic news baseline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._base import Vectorized


class Lead(Vectorized):
    """The first sentences first."""

    def ratings(
        self, words: Sequence[Sequence[str]], blocks: Sequence[int] | None = None
    ) -> np.ndarray:
        return -np.arange(len(words), dtype=np.float64)
