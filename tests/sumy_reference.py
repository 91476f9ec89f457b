"""Stock sumy ratings on a DOM whose tokens are given, for the equivalence tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class StubTokenizer:
    """sumy tokenizer whose ``to_words`` returns the tokens given for each sentence text."""

    def __init__(self, tokens: dict[str, Sequence[str]]) -> None:
        self.tokens = tokens

    def to_words(self, text: str) -> tuple[str, ...]:
        return tuple(self.tokens[text])

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:  # pragma: no cover - unused
        raise NotImplementedError


def document(texts: Sequence[str], words: Sequence[Sequence[str]], blocks: Sequence[int]):
    """An ObjectDocumentModel with one paragraph per run of equal ``blocks``."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = StubTokenizer({t.strip(): w for t, w in zip(texts, words, strict=True)})
    paragraphs: list[list] = []
    last = object()
    for text, block in zip(texts, blocks, strict=True):
        if block != last:
            paragraphs.append([])
            last = block
        paragraphs[-1].append(Sentence(text, tokenizer))
    return ObjectDocumentModel([Paragraph(p) for p in paragraphs])


def stock_ratings(name: str, doc) -> np.ndarray:
    """What stock sumy rates each sentence of ``doc`` (in order) with, by its own code."""
    sentences = doc.sentences
    if name == "lexrank":
        from sumy.summarizers.lex_rank import LexRankSummarizer

        s = LexRankSummarizer()
        words = [s._to_words_set(x) for x in sentences]
        matrix = s._create_matrix(words, s.threshold, s._compute_tf(words), s._compute_idf(words))
        return np.asarray(s.power_method(matrix, s.epsilon))
    if name == "textrank":
        from sumy.summarizers.text_rank import TextRankSummarizer

        rated = TextRankSummarizer().rate_sentences(doc)
    elif name == "reduction":
        from sumy.summarizers.reduction import ReductionSummarizer

        rated = ReductionSummarizer().rate_sentences(doc)
    elif name == "kl":
        from sumy.summarizers.kl import KLSummarizer

        rated = KLSummarizer()._compute_ratings(sentences)
    elif name == "sumbasic":
        from sumy.summarizers.sum_basic import SumBasicSummarizer

        rated = SumBasicSummarizer()._compute_ratings(sentences)
    elif name == "luhn":
        from sumy.summarizers.luhn import LuhnSummarizer

        s = LuhnSummarizer()
        significant = s._get_significant_words(doc.words)
        rated = {x: s.rate_sentence(x, significant) for x in sentences}
    elif name == "lsa":
        from sumy.summarizers.lsa import LsaSummarizer

        s = LsaSummarizer()
        dictionary = s._create_dictionary(doc)
        if not dictionary:
            return np.zeros(len(sentences))
        matrix = s._compute_term_frequency(s._create_matrix(doc, dictionary))
        _u, sigma, v = np.linalg.svd(matrix, full_matrices=False)
        return np.asarray(s._compute_ranks(sigma, v))
    elif name == "edmundson":
        from sumy.summarizers.edmundson import EdmundsonSummarizer

        from excerptor.summarizers.edmundson import BONUS_WORDS, NULL_WORDS, STIGMA_WORDS

        s = EdmundsonSummarizer()
        s.bonus_words, s.stigma_words, s.null_words = BONUS_WORDS, STIGMA_WORDS, NULL_WORDS
        cue = s._build_cue_method_instance().rate_sentences(doc)
        title = s._build_title_method_instance().rate_sentences(doc)
        location = s._build_location_method_instance().rate_sentences(doc)
        rated = {x: cue[x] + title[x] + location[x] for x in sentences}
    else:
        raise ValueError(name)
    return np.array([rated[x] for x in sentences], dtype=np.float64)


def ours(name: str):
    """excerptor's sumy-free rating instance (the fast path ``rank`` uses)."""
    from excerptor.summarizers import summarizer

    return summarizer(name)


def ours_sumy(name: str):
    """excerptor's sumy subclass of the same algorithm, a new instance."""
    from excerptor.summarizers import sumy_summarizer

    return sumy_summarizer(name)


def greedy_scores(name: str, doc, picks: Sequence[int]) -> dict[int, float]:
    """Stock sumy's score of every sentence not in ``picks`` at the greedy step after
    ``picks`` (SumBasic: higher wins; KL: lower wins), by sumy's own helpers."""
    sentences = doc.sentences
    rest = [i for i in range(len(sentences)) if i not in set(picks)]
    if name == "sumbasic":
        from sumy.summarizers.sum_basic import SumBasicSummarizer

        s = SumBasicSummarizer()
        words = [s._get_content_words_in_sentence(x) for x in sentences]
        freq = s._compute_tf(sentences)
        for i in picks:
            s._update_tf(freq, words[i])
        return {i: s._compute_average_probability_of_words(freq, words[i]) for i in rest}
    if name == "kl":
        from sumy.summarizers.kl import KLSummarizer

        s = KLSummarizer()
        freq = s.compute_tf(sentences)
        summary = s._get_all_words_in_doc([sentences[i] for i in picks])
        return {
            i: s._kl_divergence(
                s._joint_freq(s._get_content_words_in_sentence(sentences[i]), summary), freq
            )
            for i in rest
        }
    raise ValueError(name)


def assert_same_greedy(name: str, doc, stock: np.ndarray, mine: np.ndarray, steps: int) -> None:
    """Same picks for the first ``steps`` greedy steps, except where sumy's own scores of
    the two different picks are a tie (equal within float noise); the paths part there."""
    a = np.argsort(-stock, kind="stable")[:steps].tolist()
    b = np.argsort(-mine, kind="stable")[:steps].tolist()
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            scores = greedy_scores(name, doc, a[:k])
            assert np.isclose(scores[x], scores[y], rtol=1e-9, atol=0), (
                k,
                x,
                y,
                scores[x],
                scores[y],
            )
            return


_POS = {"名詞", "動詞", "形容詞", "形状詞"}
_TAGGER: list = []


def tokenized(path, limit: int | None = None, distinct: bool = True):
    """(texts, content-word lemmas, blocks) of a post, distinct sentences, fugashi directly
    (a stand-in for excerptor.japanese with the same kind of tokens)."""
    import re

    import frontmatter
    import fugashi

    if not _TAGGER:
        _TAGGER.append(fugashi.Tagger())
    tagger = _TAGGER[0]
    body = re.sub(r"```.*?```", "", frontmatter.load(path).content, flags=re.S)
    parts = (t.strip(" #>*-\t") for t in re.split(r"(?<=[。！？!?])|\n+", body))
    texts = [t for t in parts if t]
    texts = (list(dict.fromkeys(texts)) if distinct else texts)[:limit]
    words = [
        tuple(
            (m.feature.lemma or m.surface).split("-")[0].lower()
            for m in tagger(t)
            if m.feature.pos1 in _POS
        )
        for t in texts
    ]
    return texts, words, [0] * len(texts)
