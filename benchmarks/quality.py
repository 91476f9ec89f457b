"""Excerpt quality against human-written summaries (ROUGE over fugashi tokens).

    python benchmarks/quality.py [--limit N] [--systems a,b,...] [--out FILE] [--tune]
    python benchmarks/quality.py --defects|--lobo|--sample N [--seed S] [--baseline DIR] ...

Reads ../shared/eval/human_summaries.jsonl (Japanese posts whose authors wrote the summary by
hand) and scores, side by side, the naive baselines, stock sumy, a greedy extractive oracle
and every excerptor algorithm:

* setting one: budget = the reference's length in characters, ROUGE-1/2/L F1;
* setting two: a 120-character budget, ROUGE-1/2/L recall.

ROUGE is computed here over fugashi (unidic-lite) surface forms, NFKC-normalised and
lowercased, with punctuation, symbols and whitespace removed. Skips with a message when
../shared is absent.

Other reports (the systems chosen with ``--systems``; ``--baseline DIR`` adds the default of
another checkout, e.g. ``git archive <commit> | tar -x -C DIR``, run in a child process):

* ``--defects``: the rate of each defect class of ``excerptor.defects`` (filler opening, title
  echo, dangling opener, glued units, fragment, repeated sentence, markup residue, cut
  mid-word, empty) at 120 characters on human_summaries, train_summaries and the allforces
  sample; excerptor is given each site's boilerplate, learned over the site's posts;
* ``--lobo``: ROUGE-2 F1 (budget = reference length) per blog over the 29 blogs of
  human_summaries and train_summaries, and the mean over blogs; the learned scorer is
  retrained without each held-out blog (benchmarks/train_scorer.py);
* ``--sample N --seed S``: N allforces posts drawn at random, each system's excerpt.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
SHARED = ROOT.parent / "shared"
DATA = SHARED / "eval" / "human_summaries.jsonl"
TRAIN = SHARED / "eval" / "train_summaries.jsonl"
SITE = SHARED / "corpus" / "allforces" / "_posts"  # a dev site without references
WIDE_BUDGET = 120

# Folds for cross-validation, by blog: a parameter chosen on one fold is judged on the other.
FOLD_A = frozenset(
    {"YutaGoto/blog", "po3rin/post", "kohski/tech-blog", "matsuihidetoshi/mysite-static"}
)


# --------------------------------------------------------------------------- ROUGE


@lru_cache(maxsize=1)
def _tagger():
    import fugashi

    return fugashi.Tagger()


_DROP_POS = frozenset({"補助記号", "記号", "空白"})


@lru_cache(maxsize=65536)
def rouge_tokens(text: str) -> tuple[str, ...]:
    """Surface forms of ``text`` for ROUGE: no punctuation, symbols or spaces."""
    out = []
    for word in _tagger()(unicodedata.normalize("NFKC", text)):
        if word.feature.pos1 in _DROP_POS:
            continue
        surface = word.surface.strip().lower()
        if surface and any(ch.isalnum() for ch in surface):
            out.append(surface)
    return tuple(out)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def _prf(overlap: float, n_candidate: int, n_reference: int) -> Score:
    p = overlap / n_candidate if n_candidate else 0.0
    r = overlap / n_reference if n_reference else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(candidate: Sequence[str], reference: Sequence[str], n: int) -> Score:
    cand, ref = _ngrams(candidate, n), _ngrams(reference, n)
    return _prf(sum((cand & ref).values()), sum(cand.values()), sum(ref.values()))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(candidate: Sequence[str], reference: Sequence[str]) -> Score:
    return _prf(_lcs(candidate, reference), len(candidate), len(reference))


def rouge(candidate: str, reference: str) -> dict[str, Score]:
    c, r = rouge_tokens(candidate), rouge_tokens(reference)
    return {"R1": rouge_n(c, r, 1), "R2": rouge_n(c, r, 2), "RL": rouge_l(c, r)}


# --------------------------------------------------------------------------- posts


@dataclass
class Post:
    id: str
    repo: str
    reference: str
    title: str
    body: str  # Markdown without front matter
    blocks: list[str]  # plain-text paragraphs (incl. list items and quotes), no headings/code

    @property
    def plain(self) -> str:
        return "".join(self.blocks)


def strip_front_matter(raw: str) -> str:
    """The body of a post file: YAML ``---`` or TOML ``+++`` front matter removed."""
    from frontmatter.default_handlers import BaseHandler, YAMLHandler

    toml = BaseHandler(fm_boundary=re.compile(r"^\+{3,}\s*$", re.MULTILINE))
    for handler in (YAMLHandler(), toml):
        if handler.detect(raw):
            return handler.split(raw)[1]
    return raw


_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def plain_blocks(body: str) -> list[str]:
    """Paragraph texts of a Markdown body, an independent, naive reading for the baselines."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(_LIQUID.sub("", body))
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        parts: list[str] = []
        for child in tok.children or []:
            if child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
            elif child.type in ("text", "code_inline"):
                parts.append(child.content)
        text = "".join(parts)
        text = re.sub(r"\{:[^}]*\}", "", text)
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        joined = ""
        for ln in lines:
            if joined and not (_CJK.search(joined[-1]) or _CJK.search(ln[0])):
                joined += " "
            joined += ln
        if joined:
            out.append(joined)
    return out


def load_site(folder: Path = SITE, limit: int | None = None) -> list[Post]:
    """The posts of a site folder (no reference summaries): title from the front matter."""
    import frontmatter

    files = sorted(folder.glob("*.md"))
    if limit:
        files = files[:: max(1, len(files) // limit)][:limit]
    posts = []
    for f in files:
        raw = f.read_text(encoding="utf-8")
        try:
            title = str(frontmatter.loads(raw).metadata.get("title") or "")
        except Exception:
            title = ""
        body = strip_front_matter(raw)
        posts.append(Post(f.name, folder.parent.name, "", title, body, plain_blocks(body)))
    return posts


def load_posts(path: Path = DATA, limit: int | None = None) -> list[Post]:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    if limit:
        rows = rows[:: max(1, len(rows) // limit)][:limit]  # spread over every blog
    posts = []
    for row in rows:
        body = strip_front_matter(row["raw"])
        posts.append(
            Post(
                row["id"],
                row["repo"],
                row["human_summary"].strip(),
                row.get("title", ""),
                body,
                plain_blocks(body),
            )
        )
    return posts


# --------------------------------------------------------------------------- systems

System = Callable[[Post, int], str]
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[」』）)]*|[^。！？!?]+$")


def naive_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def lead(post: Post, budget: int) -> str:
    return post.blocks[0][:budget] if post.blocks else ""


def first_chars(post: Post, budget: int) -> str:
    return post.plain[:budget]


def fit(ranked: Sequence[tuple[int, str]], budget: int) -> str:
    """The excerpt contract for ranked sentences, (document position, text) best first: if
    the best does not fit, it cut to the budget; else whole sentences taken in rank order
    while they fit, shown in document order."""
    if not ranked:
        return ""
    if len(ranked[0][1]) > budget:
        return ranked[0][1][:budget]
    chosen: list[tuple[int, str]] = []
    used = 0
    for pos, text in ranked:
        if used + len(text) <= budget:
            chosen.append((pos, text))
            used += len(text)
    return "".join(text for _, text in sorted(chosen))


def stock_sumy(kind: str) -> System:
    """Stock sumy: PlaintextParser + Tokenizer("japanese") (tinysegmenter, 。！？ regex)."""

    def run(post: Post, budget: int) -> str:
        from sumy.nlp.tokenizers import Tokenizer
        from sumy.parsers.plaintext import PlaintextParser

        summarizer = _stock_summarizer(kind)
        doc = PlaintextParser.from_string("\n\n".join(post.blocks), Tokenizer("japanese")).document
        if not doc.sentences:
            return ""
        captured: list = []

        def everything(infos):  # sumy's count hook sees the sentences sorted best first
            captured.extend(infos)
            return infos

        summarizer(doc, everything)
        return fit([(info.order, str(info.sentence)) for info in captured], budget)

    return run


@cache
def _stock_summarizer(kind: str):
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.reduction import ReductionSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    classes = {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer,
        "kl": KLSummarizer,
        "sumbasic": SumBasicSummarizer,
        "reduction": ReductionSummarizer,
    }
    return classes[kind]()


def oracle(post: Post, budget: int) -> str:
    """Greedy extractive oracle on ROUGE-2 F1 (ROUGE-1 breaks ties): keep adding the sentence
    that helps most, whole if it fits, else cut to the characters left (which ends the run)."""
    sentences = [s for block in post.blocks for s in naive_sentences(block)]
    ref = rouge_tokens(post.reference)

    def gain(parts: dict[int, str]) -> tuple[float, float]:
        c = rouge_tokens("".join(parts[i] for i in sorted(parts)))
        return rouge_n(c, ref, 2).f1, rouge_n(c, ref, 1).f1

    chosen: dict[int, str] = {}
    best_score = (0.0, 0.0)
    while True:
        left = budget - sum(len(t) for t in chosen.values())
        best = None
        for i, s in enumerate(sentences):
            if i in chosen or left <= 0:
                continue
            score = gain({**chosen, i: s[:left]})
            if score > best_score:
                best, best_score = (i, s[:left]), score
        if best is None:
            break
        chosen[best[0]] = best[1]
    return "".join(chosen[i] for i in sorted(chosen))


def excerptor_system(algorithm: str, title: bool = True) -> System:
    """The public path, ``excerptor.analyze(body, max_chars=budget, title=title)``."""

    def run(post: Post, budget: int, **settings) -> str:
        import excerptor

        return excerptor.analyze(
            post.body,
            max_chars=budget,
            algorithm=algorithm,
            title=(post.title or None) if title else None,
            **settings,
        ).excerpt

    return run


def as_batch_runs(chosen: dict[str, System], posts: Sequence[Post]) -> dict[str, System]:
    """``chosen`` with each excerptor system told its site's boilerplate, learned over
    ``posts`` as a batch run learns it per site; other systems as they are."""
    boiler = site_boilerplate(posts)

    def told(system: System) -> System:
        return lambda post, budget: system(
            post, budget, boilerplate=boiler.get(post.repo, frozenset())
        )

    return {
        name: told(system) if name.startswith("excerptor") else system
        for name, system in chosen.items()
    }


def systems(selected: Iterable[str] | None = None) -> dict[str, System]:
    out: dict[str, System] = {"lead": lead, "first-N": first_chars}
    for kind in ("lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "reduction"):
        out[f"sumy {kind}"] = stock_sumy(kind)
    from excerptor.summarizers import ALGORITHMS, DEFAULT_ALGORITHM

    for name in ALGORITHMS:
        label = f"excerptor {name}" + (" (default)" if name == DEFAULT_ALGORITHM else "")
        out[label] = excerptor_system(name)
        if name == "lead_centrality":
            out[f"excerptor {name} without title"] = excerptor_system(name, title=False)
    out["oracle (greedy R-2)"] = oracle
    if selected:
        wanted = set(selected)
        out = {k: v for k, v in out.items() if k in wanted or k.split(" (")[0] in wanted}
    return out


# --------------------------------------------------------------------------- tuning


@dataclass
class Prepared:
    """A post's summary candidates, computed once and re-ranked with many parameters."""

    post: Post
    fold: str
    sentences: list  # excerptor.summarizers.Sentence
    lengths: list[int]  # of the sentences rank rates (first copies), in characters
    title_words: tuple[str, ...]
    separator: str | None  # text before <!--more-->, which the pipeline uses as is


def candidates(post: Post, settings) -> tuple[list, list[int]]:
    """A post's summary candidates as ``excerptor.analyze`` makes them, and the index of the
    first copy of each distinct text (what ``rank`` rates)."""
    from excerptor import health, pipeline, summarizers
    from excerptor import markdown as md

    doc = md.parse(post.body)
    keep = health.inspect(doc, title=post.title or None).keep
    sentences = pipeline._candidates(doc, keep, settings)
    first: dict[str, int] = {}
    for i, s in enumerate(sentences):
        first.setdefault(summarizers.normalize(s.text), i)
    return sentences, sorted(first.values())


def prepare(posts: Sequence[Post]) -> list[Prepared]:
    """Parse, check and tokenize every post once, as ``excerptor.analyze`` does."""
    from excerptor import japanese, pipeline
    from excerptor.settings import Settings

    settings = Settings(max_chars=10**9)
    out = []
    for post in posts:
        sentences, unique = candidates(post, settings)
        out.append(
            Prepared(
                post,
                "A" if post.repo in FOLD_A else "B",
                sentences,
                [len(sentences[i].text) for i in unique],
                tuple(japanese.content_words(post.title)) if post.title else (),
                pipeline._separator_excerpt(post.body, settings),
            )
        )
    return out


class _Tuned:
    """A LeadCentrality with overridden parameters, told the post's title and budget."""

    contextual = False  # rank() passes nothing more: the context is in ``extra``

    def __init__(self, params: dict[str, float]) -> None:
        from excerptor.summarizers.lead_centrality import LeadCentrality

        self.model = LeadCentrality()
        for key, value in params.items():
            setattr(self.model, key, value)
        self.extra: dict = {}

    contextual = True

    def ratings(self, words, blocks=None, **_context):
        return self.model.ratings(words, blocks, **self.extra)


def tuned_excerpt(item: Prepared, model: _Tuned, budget: int) -> str:
    from excerptor import japanese, pipeline, summarizers

    if item.separator is not None:
        return japanese.truncate(item.separator.strip(), budget)
    if not item.sentences:
        return ""
    model.extra = {"title_words": item.title_words, "lengths": item.lengths, "max_chars": budget}
    real = summarizers.summarizer
    summarizers.summarizer = lambda _name: model  # rank() looks the model up by name
    try:
        order = summarizers.rank(item.sentences, "lead_centrality")
    finally:
        summarizers.summarizer = real
    order = list(pipeline._fillers_last(item.sentences, order))
    return summarizers.excerpt(
        item.sentences, order, budget, japanese.truncate, title=item.post.title or None
    )


def tune_score(items: Sequence[Prepared], params: dict[str, float]) -> dict[str, float]:
    """Mean ROUGE-2 F1 (percent) at budget = reference length: all posts and by fold."""
    model = _Tuned(params)
    folds: dict[str, list[float]] = {"A": [], "B": []}
    for item in items:
        out = tuned_excerpt(item, model, len(item.post.reference))
        folds[item.fold].append(rouge(out, item.post.reference)["R2"].f1)
    mean = {k: 100 * statistics.fmean(v) if v else float("nan") for k, v in folds.items()}
    mean["all"] = 100 * statistics.fmean(folds["A"] + folds["B"])
    return mean


# Around the shipped values; each fold picks its best, judged on the other fold.
TUNE_GRID: dict[str, tuple[float, ...]] = {
    "title_weight": (4.0, 8.0, 16.0),
    "short_power": (0.0, 0.25, 0.5, 0.75),
    "cut_power": (0.0, 0.25, 0.5),
}


def tune(posts: Sequence[Post]) -> None:
    """2-fold cross-validation by blog of lead_centrality's parameters over TUNE_GRID."""
    import itertools

    t0 = time.perf_counter()
    items = prepare(posts)
    print(f"prepared {len(items)} posts in {time.perf_counter() - t0:.0f} s")
    rows = []
    names = list(TUNE_GRID)
    for values in itertools.product(*TUNE_GRID.values()):
        params = dict(zip(names, values, strict=True))
        score = tune_score(items, params)
        rows.append((params, score))
        shown = " ".join(f"{k}={v:g}" for k, v in params.items())
        print(f"  {shown}: all {score['all']:.2f}  A {score['A']:.2f}  B {score['B']:.2f}")
    for fold, other in (("A", "B"), ("B", "A")):
        params, score = max(rows, key=lambda row: row[1][fold])
        print(f"best on fold {fold}: {params} -> held-out fold {other} {score[other]:.2f}")
    print(f"tuning took {time.perf_counter() - t0:.0f} s")


# --------------------------------------------------------------------------- evaluation


@dataclass
class Result:
    name: str
    narrow: dict[str, list[float]] = field(default_factory=dict)  # F1 at budget = ref length
    wide: dict[str, list[float]] = field(default_factory=dict)  # recall at 120 chars
    folds: dict[str, list[float]] = field(default_factory=dict)  # R-2 F1 by fold
    empty: int = 0
    overlong: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def mean_r2(self) -> float:
        """ROUGE-2 F1 at budget = reference length, in percent."""
        return self.mean(self.narrow, "R2")

    def mean(self, table: dict[str, list[float]], key: str) -> float:
        values = table.get(key, [])
        return 100 * statistics.fmean(values) if values else float("nan")


def evaluate(name: str, system: System, posts: Sequence[Post], wide: bool = True) -> Result:
    """Scores of ``system`` on ``posts``; ``wide=False`` skips setting two (120 characters)."""
    result = Result(name)
    start = time.perf_counter()
    for post in posts:
        fold = "A" if post.repo in FOLD_A else "B"
        settings = [(len(post.reference), result.narrow, "f1")]
        if wide:
            settings.append((WIDE_BUDGET, result.wide, "recall"))
        for budget, table, attr in settings:
            try:
                out = system(post, budget)
            except Exception as exc:
                result.errors.append(f"{post.id}: {type(exc).__name__}: {exc}")
                out = None
            if out is None:
                continue
            if budget != WIDE_BUDGET:
                result.empty += not out.strip()
            if len(out) > budget:
                result.overlong += 1
            scores = rouge(out, post.reference)
            for key, score in scores.items():
                table.setdefault(key, []).append(getattr(score, attr))
            if budget != WIDE_BUDGET:
                result.folds.setdefault(fold, []).append(scores["R2"].f1)
    result.seconds = time.perf_counter() - start
    return result


def markdown_table(results: Sequence[Result], n: int) -> str:
    head = (
        "| system | R-1 F1 | R-2 F1 | R-L F1 | R-2 F1 fold A / B | R-1 rec@120 | R-2 rec@120 "
        "| R-L rec@120 | empty | seconds |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for r in results:
        if len(r.errors) >= 2 * n:
            first = r.errors[0].split(": ", 1)[1][:60]
            lines.append(f"| {r.name} | failed on every post: {first} |||||||||")
            continue
        folds = " / ".join(f"{r.mean(r.folds, k):.1f}" for k in ("A", "B"))
        cells = [f"{r.mean(r.narrow, k):.1f}" for k in ("R1", "R2", "RL")]
        cells.append(folds)
        cells += [f"{r.mean(r.wide, k):.1f}" for k in ("R1", "R2", "RL")]
        cells += [str(r.empty), f"{r.seconds:.1f}"]
        lines.append(f"| {r.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- other checkouts

_CHECKOUT_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import excerptor
out = []
for job in json.load(sys.stdin):
    try:
        out.append(excerptor.analyze(job["body"], max_chars=job["budget"],
                                     title=job["title"] or None).excerpt)
    except Exception as exc:
        out.append(None)
json.dump(out, sys.stdout)
"""


def checkout_system(root: Path, posts: Sequence[Post], budgets: Callable[[Post], list[int]]):
    """The default excerpt of another checkout of excerptor (e.g. ``git archive`` of an older
    commit), computed in one child process for every post and budget, as a System."""
    import subprocess

    jobs = [(p, b) for p in posts for b in budgets(p)]
    payload = json.dumps([{"body": p.body, "title": p.title, "budget": b} for p, b in jobs])
    done = subprocess.run(
        [sys.executable, "-c", _CHECKOUT_SCRIPT, str(root)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    table = {(p.id, b): out for (p, b), out in zip(jobs, json.loads(done.stdout), strict=True)}
    return lambda post, budget: table[(post.id, budget)]


# --------------------------------------------------------------------------- defects


def site_boilerplate(posts: Sequence[Post]) -> dict[str, frozenset[str]]:
    """Per site (``repo``), the sentences that recur across its posts, found as the front
    ends find them (excerptor.boilerplate.body_keys, defects.boilerplate)."""
    from excerptor import defects
    from excerptor.boilerplate import body_keys

    by_site: dict[str, list[list[str]]] = {}
    for post in posts:
        by_site.setdefault(post.repo, []).append(body_keys(post.body))
    return {site: defects.boilerplate(lists) for site, lists in by_site.items()}


def post_source(post: Post) -> tuple[str, str]:
    """The plain text excerptor reads in ``post`` (its blocks, one per line), and its first
    sentence of prose."""
    from excerptor import japanese
    from excerptor import markdown as md

    blocks = md.parse(post.body).blocks
    prose = [b.text for b in blocks if b.kind in md.PROSE_KINDS and b.text.strip()]
    lead = next(iter(japanese.split_sentences(prose[0])), "") if prose else ""
    return "\n".join(b.text for b in blocks), lead


DEFECT_CLASSES = (
    "filler-opening",
    "title-echo",
    "dangling-opener",
    "glued-units",
    "fragment",
    "repeated-sentence",
    "markup-residue",
    "cut-mid-word",
    "empty",
)


def defect_counts(outputs: Sequence[str | None], posts: Sequence[Post], budget: int) -> Counter:
    """How many ``outputs`` (one per post) show each defect class."""
    from excerptor import defects

    counts: Counter = Counter()
    for out, post in zip(outputs, posts, strict=True):
        source, lead = post_source(post)
        found = defects.excerpt_defects(
            out or "",
            title=post.title or None,
            max_chars=budget,
            source=source,
            lead=lead,
            source_lines=post.body.splitlines(),
        )
        counts.update(set(found))
    return counts


def defect_report(
    datasets: dict[str, list[Post]], chosen: dict[str, System], budget: int = WIDE_BUDGET
) -> str:
    """Markdown table: per data set and system, the rate (percent) of each defect class."""
    head = "| data set | system | posts | " + " | ".join(DEFECT_CLASSES) + " |"
    lines = [head, "|---|---|---:|" + "---:|" * len(DEFECT_CLASSES)]
    for label, posts in datasets.items():
        for name, system in chosen.items():
            outputs = []
            for post in posts:
                try:
                    outputs.append(system(post, budget))
                except Exception:
                    outputs.append(None)
            counts = defect_counts(outputs, posts, budget)
            rates = [f"{100 * counts[k] / len(posts):.1f}" for k in DEFECT_CLASSES]
            lines.append(f"| {label} | {name} | {len(posts)} | " + " | ".join(rates) + " |")
            print(f"  defects: {label} / {name} done", file=sys.stderr)
    return "\n".join(lines)


def defect_examples(posts: Sequence[Post], system: System, code: str, n: int = 5) -> list[str]:
    """Up to ``n`` excerpts of ``system`` (at 120 characters) that show defect ``code``."""
    out = []
    for post in posts:
        text = system(post, WIDE_BUDGET) or ""
        if code in defect_counts([text], [post], WIDE_BUDGET):
            out.append(f"{post.id}: {text}")
            if len(out) == n:
                break
    return out


# --------------------------------------------------------------------------- leave one blog out


def blog_of(repo: str) -> str:
    """The blog a repository belongs to (tukaelu/tuka.dev and tukaelu/blog are one author)."""
    return "tukaelu" if repo.startswith("tukaelu/") else repo


def lobo_report(posts: Sequence[Post], chosen: dict[str, System], learned: bool) -> str:
    """R-2 F1 (budget = reference length) per blog and mean over blogs. ``learned`` adds the
    learned scorer trained without the held-out blog's posts (one model per blog)."""
    blogs = sorted({p.repo for p in posts})
    columns: dict[str, dict[str, list[float]]] = {}
    for name, system in chosen.items():
        per: dict[str, list[float]] = {}
        for post in posts:
            out = system(post, len(post.reference)) or ""
            per.setdefault(post.repo, []).append(rouge(out, post.reference)["R2"].f1)
        columns[name] = per
        print(f"  lobo: {name} done", file=sys.stderr)
    if learned:
        from train_scorer import lobo_learned

        columns["learned, trained without the blog"] = lobo_learned(posts, blog_of)
    names = list(columns)
    lines = [
        "| blog | posts | " + " | ".join(names) + " |",
        "|---|---:|" + "---:|" * len(names),
    ]
    for blog in blogs:
        n = len(columns[names[0]][blog])
        cells = [f"{100 * statistics.fmean(columns[k][blog]):.1f}" for k in names]
        lines.append(f"| {blog} | {n} | " + " | ".join(cells) + " |")
    mean_blog = [
        f"**{100 * statistics.fmean(statistics.fmean(v) for v in columns[k].values()):.2f}**"
        for k in names
    ]
    mean_post = [
        f"{100 * statistics.fmean(x for v in columns[k].values() for x in v):.2f}" for k in names
    ]
    lines.append(f"| mean over {len(blogs)} blogs | {len(posts)} | " + " | ".join(mean_blog) + " |")
    lines.append("| mean over posts | | " + " | ".join(mean_post) + " |")
    return "\n".join(lines)


def draw(posts: Sequence[Post], n: int, seed: int) -> list[Post]:
    """``n`` of ``posts`` drawn with ``random.Random(seed).sample``."""
    import random

    return random.Random(seed).sample(list(posts), min(n, len(posts)))


def sample_report(picked: Sequence[Post], chosen: dict[str, System], seed: int) -> str:
    """Each system's 120-character excerpt of the posts ``draw`` picked."""
    out = [f"{len(picked)} posts drawn with random.Random({seed}).sample"]
    for post in picked:
        out.append(f"\n### {post.id}\ntitle: {post.title}")
        for name, system in chosen.items():
            out.append(f"- {name}: {system(post, WIDE_BUDGET)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="score only N posts, spread over the blogs")
    parser.add_argument("--systems", help="comma-separated system names (default: all)")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    parser.add_argument(
        "--tune", action="store_true", help="cross-validate lead_centrality's parameters"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also run the default of another excerptor checkout (e.g. an older commit)",
    )
    parser.add_argument(
        "--defects",
        action="store_true",
        help="defect rates at 120 characters on human, train and the allforces sample",
    )
    parser.add_argument(
        "--lobo",
        action="store_true",
        help="R-2 F1 per blog over human + train summaries (29 blogs), learned scorer left out",
    )
    parser.add_argument("--sample", type=int, help="show N allforces excerpts drawn at random")
    parser.add_argument("--seed", type=int, default=12, help="seed of --sample")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (the shared data lives beside the repo)")
        return 0
    t0 = time.perf_counter()
    posts = load_posts(DATA, args.limit)
    if args.tune:
        tune(posts)
        return 0
    chosen = systems(args.systems.split(",") if args.systems else None)
    report = []
    if args.defects or args.lobo or args.sample:
        datasets = {"human": posts}
        if args.defects or args.lobo:
            datasets["train"] = load_posts(TRAIN, args.limit)
        if args.defects or args.sample:
            datasets["allforces"] = load_site(SITE, args.limit)
        # what a batch run over each whole site learns
        chosen = as_batch_runs(chosen, [p for group in datasets.values() for p in group])
        if args.sample and not (args.defects or args.lobo):
            datasets = {"allforces": draw(datasets["allforces"], args.sample, args.seed)}
        every = [p for group in datasets.values() for p in group]
        if args.baseline:
            budgets = {}
            for p in datasets.get("human", []) + datasets.get("train", []):
                budgets.setdefault(p.id, set()).add(len(p.reference))
            for p in every:
                budgets.setdefault(p.id, set()).add(WIDE_BUDGET)
            base = checkout_system(args.baseline, every, lambda p: sorted(budgets[p.id]))
            chosen = {f"baseline {args.baseline.name}": base, **chosen}
        if args.sample:
            picked = draw(datasets["allforces"], args.sample, args.seed)
            report.append(sample_report(picked, chosen, args.seed))
        if args.defects:
            report.append(defect_report(datasets, chosen))
        if args.lobo:
            learned = any("learned" in name for name in chosen)
            fixed = {k: v for k, v in chosen.items() if "learned" not in k}
            report.append(lobo_report(datasets["human"] + datasets["train"], fixed, learned))
        text = "\n\n".join(report)
        print(text)
        print(f"\n{' '.join(['python benchmarks/quality.py', *(argv or sys.argv[1:])])}", end="")
        print(f" — {time.perf_counter() - t0:.0f} s in all")
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    chosen = as_batch_runs(chosen, posts)
    if args.baseline:
        base = checkout_system(args.baseline, posts, lambda p: [len(p.reference), WIDE_BUDGET])
        chosen = {f"baseline {args.baseline.name}": base, **chosen}
    in_a = sum(p.repo in FOLD_A for p in posts)
    print(f"{len(posts)} posts (fold A {in_a}, fold B {len(posts) - in_a}); ", end="")
    print(f"median reference {statistics.median(len(p.reference) for p in posts)} chars")
    results = []
    for name, system in chosen.items():
        result = evaluate(name, system, posts)
        results.append(result)
        note = f" ({len(result.errors)} errors)" if result.errors else ""
        print(f"  {name}: R-2 F1 {result.mean(result.narrow, 'R2'):.1f}{note}", file=sys.stderr)
    table = markdown_table(results, len(posts))
    print(table)
    for r in results:
        if r.errors:
            print(f"\n{r.name}: {len(r.errors)} errors, first: {r.errors[0][:200]}")
        if r.overlong:
            print(f"\n{r.name}: {r.overlong} outputs longer than the budget")
    cmd = "python benchmarks/quality.py" + (f" --limit {args.limit}" if args.limit else "")
    footer = f"\n{cmd} — {time.perf_counter() - t0:.0f} s in all"
    print(footer)
    if args.out:
        args.out.write_text(table + "\n" + footer + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
