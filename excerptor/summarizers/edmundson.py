"""Edmundson: cue words, title words and position, with Japanese default word lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._base import Vectorized, word_set
from ._matrix import normalized

# Both the plain spelling and UniDic's lemma spelling (纏める for まとめる) are listed, so the
# lists work whichever form the tokenizer hands over.
BONUS_WORDS: frozenset[str] = frozenset(
    """
    重要 大切 肝心 ポイント point 要点 本質 核心 結論 まとめ まとめる 纏め 纏める 要約 要する
    目的 狙い 提案 発表 公開 発売 開始 導入 開発 結果 成果 効果 影響 特徴 課題 問題 解決
    理由 原因 背景 意味 意義 注目 示す 明らか 主要 最大 初 初めて 新た 新しい 必要 可能
    本稿 本記事 記事 今回 戦略 方針 結局
    """.split()
)
STIGMA_WORDS: frozenset[str] = frozenset(
    """
    余談 蛇足 雑談 冗談 笑 笑い 因み ちなみ 例 個人的 個人 気 気がする 多分 恐らく
    かもしれない 思う 感じる 感想 いやー えー あー うーん 失礼 宣伝 広告 pr 告知 追記 引用
    リンク 参照 コメント 下記 以下 詳細 こちら クリック 購読 フォロー シェア
    """.split()
)
# Words too common to count as title words.
NULL_WORDS: frozenset[str] = frozenset(
    """
    する 為る 為す ある 有る 在る いる 居る なる 成る できる 出来る 言う いう 思う 見る 行う
    こと 事 もの 物 もん よう 様 ため 為 ところ 所 とき 時 これ それ あれ どれ ここ そこ
    私 僕 俺 我々 あなた 方 人 さん 的 等 など 何 今 中 上 下 前 後 場合 感じ 話 点
    """.split()
)


class Edmundson(Vectorized):
    """sumy's Edmundson (cue + title + location; key off, as sumy's defaults), vectorized
    per sentence, with Japanese bonus/stigma/null words unless others are set.

    What it reads of sumy's EdmundsonSummarizer is mirrored here: the method weights (sumy's
    ``__init__`` defaults; its sumy subclass takes them as arguments), the word-list
    properties, which store their words through ``stem_word``, and ``stem_word`` itself
    (lower case, then ``_stemmer``: sumy's null stemmer unless the sumy subclass was
    given another).
    """

    sumy_base = ("sumy.summarizers.edmundson", "EdmundsonSummarizer")
    contextual = True  # rank() passes the post title's words as ``title_words``
    _cue_weight = 1.0
    _key_weight = 0.0
    _title_weight = 1.0
    _location_weight = 1.0
    _bonus_words: frozenset[str] = frozenset()
    _stigma_words: frozenset[str] = frozenset()
    _null_words: frozenset[str] = frozenset()
    _stemmer = staticmethod(str.lower)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bonus_words = BONUS_WORDS
        self.stigma_words = STIGMA_WORDS
        self.null_words = NULL_WORDS

    def stem_word(self, word: str) -> str:
        return self._stemmer(word.lower())

    bonus_words = word_set("_bonus_words", "stem_word")
    stigma_words = word_set("_stigma_words", "stem_word")
    null_words = word_set("_null_words", "stem_word")

    def ratings(
        self,
        words: Sequence[Sequence[str]],
        blocks: Sequence[int] | None = None,
        title: Sequence[str] = (),
        *,
        title_words: Sequence[str] = (),
        texts: Sequence[str] | None = None,
    ) -> np.ndarray:
        """``blocks`` are the paragraphs (one paragraph when absent); ``title`` (or
        ``title_words``) holds the heading words sumy's title and location methods look for."""
        title = title or title_words
        n = len(words)
        stems = normalized(words)
        paragraphs = list(blocks) if blocks is not None else [0] * n
        significant = frozenset(map(self.stem_word, title)) - self.null_words
        out = np.zeros(n)
        if self._cue_weight > 0:
            bonus, stigma = self.bonus_words, self.stigma_words
            cue = [sum(w in bonus for w in ws) - sum(w in stigma for w in ws) for ws in stems]
            out += self._cue_weight * np.asarray(cue, dtype=np.float64)
        if self._key_weight > 0:
            out += self._key_weight * self._key(stems)
        hits = np.array([sum(w in significant for w in ws) for ws in stems], dtype=np.float64)
        if self._title_weight > 0:
            out += self._title_weight * hits
        if self._location_weight > 0:
            out += self._location_weight * (hits + self._positions(paragraphs))
        return out

    def _key(self, stems: list[list[str]], weight: float = 0.5) -> np.ndarray:
        from collections import Counter

        found = Counter(w for ws in stems for w in ws if w in self.bonus_words)
        if not found:
            return np.zeros(len(stems))
        top = max(found.values())
        key = frozenset(w for w, f in found.items() if f / top > weight)
        return np.array([sum(w in key for w in ws) for ws in stems], dtype=np.float64)

    @staticmethod
    def _positions(paragraphs: list[int]) -> np.ndarray:
        """sumy's location bonuses: first/last paragraph, first/last sentence of a paragraph."""
        n = len(paragraphs)
        out = np.zeros(n)
        if n == 0:
            return out
        starts = [0] + [i for i in range(1, n) if paragraphs[i] != paragraphs[i - 1]]
        ends = starts[1:] + [n]
        for p, (a, b) in enumerate(zip(starts, ends, strict=True)):
            para = 1.0 if p == 0 else (1.0 if p == len(starts) - 1 else 0.0)
            out[a:b] += para
            out[a] += 1.0
            if b - 1 > a:
                out[b - 1] += 1.0
        return out

    def _dom_ratings(self, document, *extra) -> np.ndarray:
        return super()._dom_ratings(document, [w for h in document.headings for w in h.words])
