"""Score the enrichment engine on human-labelled public text, beside the VADER baseline.

Sets (see ``../shared/datasets/README.md``): airline tweets, GoEmotions test and the MOOC urgency posts
are held out (measured here, never used for tuning); the VADER tweets are a tuning set, reported to
show the sentiment score still ranks intensity like the lexicon. Metrics are computed in pure Python.
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from middleware.enrichment import Enricher

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
FRUSTRATION = {"anger", "annoyance", "disappointment", "disapproval"}
NOW = datetime(2026, 1, 15, 10, 0)
VADER_NEGATIVE = -0.05


@dataclass(frozen=True)
class Row:
    """One metric: engine and VADER figures, the target and the set's role."""

    metric: str
    dataset: str
    n: int
    engine: float
    vader: float
    target: float


def ranks(values: list[float]) -> list[float]:
    """1-based ranks with ties averaged."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def roc_auc(labels: list[bool], scores: list[float]) -> float:
    r = ranks(scores)
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(rv for rv, y in zip(r, labels, strict=True) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    return cov / math.sqrt(sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb))


def macro_f1(labels: list[bool], predicted: list[bool]) -> float:
    return sum(_f1(labels, predicted, cls) for cls in (True, False)) / 2


def _f1(labels: list[bool], predicted: list[bool], cls: bool) -> float:
    tp = sum(y == cls and p == cls for y, p in zip(labels, predicted, strict=True))
    fp = sum(y != cls and p == cls for y, p in zip(labels, predicted, strict=True))
    fn = sum(y == cls and p != cls for y, p in zip(labels, predicted, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def read_airline() -> tuple[list[str], list[bool]]:
    with (DATASETS / "airline_twitter_sentiment" / "airline_tweets.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["airline_sentiment"] == "negative" for r in rows]


def read_goemotions_test() -> tuple[list[str], list[set[str]]]:
    folder = DATASETS / "goemotions"
    names = (folder / "emotions.txt").read_text().split()
    texts, labels = [], []
    for line in (folder / "test.tsv").read_text(encoding="utf-8").splitlines():
        body, ids, _ = line.split("\t")
        texts.append(body)
        labels.append({names[int(i)] for i in ids.split(",")})
    return texts, labels


def read_mooc() -> tuple[list[str], list[bool]]:
    path = DATASETS / "mooc_forum_urgency" / "All_Courses_REDACTED_CODED.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Urgency_1_7"] and r["post_text"]]
    return [r["post_text"] for r in rows], [float(r["Urgency_1_7"]) >= 4 for r in rows]


def read_vader_tweets() -> tuple[list[str], list[float]]:
    path = DATASETS / "vader_groundtruth" / "tweets_GroundTruth.txt"
    parts = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [p[2] for p in parts], [float(p[1]) for p in parts]


def enrich_all(enricher: Enricher, texts: Iterable[str]) -> list[dict]:
    return [enricher.enrich({"id": i, "subject": "", "description": t}, NOW) for i, t in enumerate(texts)]


def vader_compounds(texts: list[str]) -> list[float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(t)["compound"] for t in texts]


def evaluate(enricher: Enricher, log: Callable[[str], None] = print) -> list[Row]:
    """Every metric of the evaluation table."""
    rows = []
    texts, negative = read_airline()
    log(f"airline tweets: {len(texts)}")
    out, vader = enrich_all(enricher, texts), vader_compounds(texts)
    rows.append(Row("negative-vs-not macro-F1", "airline tweets (held out)", len(texts),
                    macro_f1(negative, [o["sentiment"]["label"] == "negative" for o in out]),
                    macro_f1(negative, [v <= VADER_NEGATIVE for v in vader]), 0.78))
    rows += _goemotions(enricher, log)
    texts, urgent = read_mooc()
    log(f"MOOC posts: {len(texts)}")
    out, vader = enrich_all(enricher, texts), vader_compounds(texts)
    rows.append(Row("urgency >= 4 ROC-AUC of impact score", "MOOC forum posts (held out)", len(texts),
                    roc_auc(urgent, [o["impact"]["score"] for o in out]),
                    roc_auc(urgent, [-v for v in vader]), 0.75))
    texts, gold = read_vader_tweets()
    log(f"VADER tweets: {len(texts)}")
    out, vader = enrich_all(enricher, texts), vader_compounds(texts)
    rows.append(Row("Spearman of sentiment score", "VADER tweets (tuning set)", len(texts),
                    spearman(gold, [o["sentiment"]["score"] for o in out]), spearman(gold, vader), 0.80))
    return rows


def _goemotions(enricher: Enricher, log: Callable[[str], None]) -> list[Row]:
    groups = json.loads((DATASETS / "goemotions" / "sentiment_dict.json").read_text())
    texts, labels = read_goemotions_test()
    log(f"GoEmotions test: {len(texts)}")
    out, vader = enrich_all(enricher, texts), vader_compounds(texts)
    negative = [bool(lab & set(groups["negative"])) for lab in labels]
    frustrated = [bool(lab & FRUSTRATION) for lab in labels]
    name = "GoEmotions test (held out)"
    return [
        Row("negative-vs-not macro-F1", name, len(texts),
            macro_f1(negative, [o["sentiment"]["label"] == "negative" for o in out]),
            macro_f1(negative, [v <= VADER_NEGATIVE for v in vader]), 0.75),
        Row("frustration ROC-AUC of frustration score", name, len(texts),
            roc_auc(frustrated, [o["frustration"]["score"] for o in out]),
            roc_auc(frustrated, [-v for v in vader]), 0.78),
    ]


def table(rows: list[Row]) -> str:
    lines = ["| metric | data (role) | n | Attune | VADER baseline | target | met |",
             "|---|---|---:|---:|---:|---:|:---:|"]
    for r in rows:
        met = "yes" if r.engine >= r.target else "no"
        lines.append(f"| {r.metric} | {r.dataset} | {r.n:,} | {r.engine:.3f} | {r.vader:.3f} | "
                     f"{r.target:.2f} | {met} |")
    return "\n".join(lines)


REPORT = """# Enrichment evaluation

Generated by `python -m middleware evaluate` (`make eval`); do not edit by hand.

{table}

VADER baseline: `vaderSentiment` 3.3.2 compound score; "negative" means compound <= -0.05, and for the
ROC-AUC rows the baseline score is -compound (more negative, more frustrated or urgent).
Whole run: {seconds:.0f} s on one core. A target not met is reported as it is: no threshold, word or
rule was changed to move a held-out figure.

## Which data was used for what

- GoEmotions train.tsv (training): fits the learned model `middleware/enrichment/model.json`,
  logistic regression for negative, positive and frustration (anger, annoyance, disappointment,
  disapproval) over word unigrams and bigrams seen at least twice and three lexicon features
  (`python -m middleware.enrichment.train`, which reproduces the committed file).
- GoEmotions dev.tsv (tuning): the negative model's settings and the share of lexicon and model in
  the sentiment score, by the engine's negative-vs-not macro-F1; the regularisation strength of the
  positive and frustration models (best ROC-AUC); and the frustration thresholds in
  `policies/enrichment.yaml` (`python -m middleware.enrichment.train --tune`).
- GoEmotions dev.tsv and VADER tweets ground truth together (tuning): `sentiment.negative_below`, the
  cut with the best mean of the two macro-F1 figures (GoEmotions dev: negative = any label in the
  negative group; VADER tweets: negative = raters' mean <= -0.5 on -4..4). This rule was fixed before
  the held-out sets were scored again.
- VADER tweets ground truth: its Spearman row above is a tuning-set figure, not a held-out one.
- GoEmotions test.tsv, airline tweets, MOOC forum urgency (held out): measured here only.

Cue phrases (waiting, repeat contact, contempt, threats, blocked work, deadlines, people affected,
outages, security) and their weights were written from the product brief and ordinary IT-support
situations, and are checked by the labelled examples in `tests/enrichment/`; no word, rule or threshold
was chosen by looking at a held-out set. No public set covers VIPs, people affected, outages, repeat
contact or deadlines: those are covered only by the project's own tests.

## What changed and why

The previous run (same sets, same code for the metrics) gave: airline negative-vs-not macro-F1 0.644,
GoEmotions test negative-vs-not 0.731, frustration ROC-AUC 0.825, MOOC urgency ROC-AUC 0.672, VADER
tweets Spearman 0.847. One change was then made, chosen on the tuning sets only, and the held-out sets
were scored once more to give the table above:

- The learned negative model and its place in the sentiment score were re-chosen by the engine's
  negative-vs-not macro-F1 on GoEmotions dev, each setting scored at the negative cut the existing
  rule picks (mean of GoEmotions dev and VADER tweets). Swept: n-gram min-count 2 or 3, C from 0.06 to
  2, class weights none or balanced, negation-scope features (words after "not", "never", ...; no
  consistent gain, left out), pruning 0.1 or 0.2, and the lexicon share 0 to 0.7. Chosen: min-count 2,
  C 0.5 with balanced class weights, weights below 0.2 pruned (20,705 n-grams, 0.7 MB), lexicon share
  0.1 (was 0.5, picked by VADER tweets Spearman). The rule then moves the cut to -0.425 (was -0.175),
  and the frustration thresholds, re-derived by their rule, to 0.46 and 0.78 (were 0.44 and 0.76).
  GoEmotions dev macro-F1 rose from 0.721 to 0.747; VADER tweets macro-F1 at the chosen cut fell from
  0.896 to 0.845, because the score now leans on a model fitted to Reddit comments.

## How each figure is computed

- Airline tweets: a tweet is negative when its crowd label is `negative`; Attune predicts negative when
  the sentiment label is `negative`. Macro-F1 over the two classes (negative, not negative).
- GoEmotions test: negative when any label is in the dataset's own negative group
  (`sentiment_dict.json`); frustration when any label is anger, annoyance, disappointment or
  disapproval, scored by ROC-AUC of the frustration score.
- MOOC posts: urgent when the coders' mean urgency is 4 or more (of 7), scored by ROC-AUC of the
  impact score.
- VADER tweets: Spearman rank correlation of the sentiment score with the raters' mean.

Each text is enriched as a ticket with an empty subject and the text as description, with `now`
fixed at {now}.
"""


def render_report(rows: list[Row], seconds: float) -> str:
    return REPORT.format(table=table(rows), seconds=seconds, now=NOW.isoformat())


def run_evaluation(output: Path, log: Callable[[str], None] = print) -> list[Row]:
    """Evaluate, print the table and write the report to ``output``."""
    started = time.perf_counter()
    rows = evaluate(Enricher(), log)
    report = render_report(rows, time.perf_counter() - started)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    log(table(rows))
    return rows
