"""Score the enrichment engine on human-labelled public text, beside the VADER baseline.

Sets (see ``../shared/datasets/README.md``): airline tweets, GoEmotions test and the MOOC urgency posts
are held out (measured here, never used for tuning); 80 % of the VADER tweets are training rows, reported to
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

from middleware.enrichment import Enricher, agreement

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
SUPPORT = ROOT / "tests" / "fixtures" / "enrichment"
# The project's own labelled IT-support tickets (``agreement``): file and role.
SUPPORT_SETS = (("support_tickets.jsonl", "tuning"), ("support_tickets_heldout.jsonl", "held out"))
SUPPORT_COLUMNS = ("sentiment", "frustration", "impact", "signal precision", "signal recall", "scenario")
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
    rows.append(Row("Spearman of sentiment score", "VADER tweets (80 % are training rows)", len(texts),
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


def support_table(enricher: Enricher, log: Callable[[str], None] = print) -> str:
    """Agreement with the service-desk lead on each of the project's labelled ticket sets."""
    lines = ["| tickets (role) | n | " + " | ".join(SUPPORT_COLUMNS) + " |",
             "|---|---:|" + "---:|" * len(SUPPORT_COLUMNS)]
    for name, role in SUPPORT_SETS:
        tickets = agreement.load(SUPPORT / name)
        log(f"{name}: {len(tickets)}")
        figures, _ = agreement.compare(enricher, tickets, NOW)
        cells = " | ".join(f"{figures[c]:.2f}" for c in SUPPORT_COLUMNS)
        lines.append(f"| `{name}` ({role}) | {len(tickets)} | {cells} |")
    return "\n".join(lines)


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

## IT-support tickets labelled for this project

No public set is IT-support text labelled for business impact, its signals or the scenario. Two sets
were written for the project by people who had not seen the engine's cue lists, each ticket labelled as
a service-desk lead would label it (`tests/fixtures/enrichment/`, format in
`middleware/enrichment/agreement.py`). The cue lists were corrected against the tuning set, which the
tests also check; the held-out set is only measured here. Each figure is the share of tickets on which
the engine agrees with the lead (impact: its level is one the lead accepts); signal precision and recall
count blocked work, deadline, people affected, outage, security and workaround.

{support}

## Which data was used for what

- GoEmotions train.tsv (training): fits the learned model `middleware/enrichment/model.json`,
  logistic regression for negative, positive and frustration (anger, annoyance, disappointment,
  disapproval) over word unigrams and bigrams seen at least twice and three lexicon features
  (`python -m middleware.enrichment.train`, which reproduces the committed file).
- VADER ground truth, tweets, Amazon, movie and NYT snippets (training and tuning): each set is split
  once, by a fixed seed and stratified by its label, into 80 % training rows and 20 % dev rows. The
  training rows of the sets named in `train.py` (`VADER_SETS`) are added to GoEmotions train for the
  negative output only (negative = raters' mean <= -0.5 on -4..4); the dev rows are never trained on.
  The positive and frustration outputs are fitted on GoEmotions train alone.
- Selection rule, fixed before the held-out sets were scored with a model trained this way: every
  choice for the negative output and the sentiment label (which VADER sets are trained on, the weight
  of their rows against the Reddit rows, C, whether the ambiguous band -0.5 < mean < 0 is left out,
  the lexicon share of the sentiment score and `sentiment.negative_below`) maximises the unweighted
  mean of five negative-vs-not macro-F1 figures of the engine's label: GoEmotions dev.tsv (negative =
  any label in the negative group) and the dev rows of each of the four VADER sets. A new model is
  kept only if that mean beats the previous model's, computed by the same rule. GoEmotions dev.tsv
  also sets the regularisation of the positive and frustration models (best ROC-AUC) and the
  frustration thresholds in `policies/enrichment.yaml` (`python -m middleware.enrichment.train --tune`).
- VADER tweets ground truth: its Spearman row above is now partly a training-set figure (80 % of
  those tweets are training rows of the negative output), not a held-out one.
- GoEmotions test.tsv, airline tweets, MOOC forum urgency (held out): measured here only.
- The project's labelled IT-support tickets (`tests/fixtures/enrichment/`): the tuning set corrects
  cue lists and weights and its floors are tested; the held-out set is measured here only.

Cue phrases (waiting, repeat contact, contempt, threats, blocked work, deadlines, people affected,
outages, security) and their weights were written from the product brief and ordinary IT-support
situations, corrected against the tuning tickets, and are checked by the labelled examples in
`tests/enrichment/`; no word, rule or threshold was chosen by looking at a held-out set. No public set
covers VIPs, people affected, outages, repeat contact or deadlines: those are covered only by the
project's own tickets and tests.

## What changed and why

The previous run (same sets, same code for the metrics) gave: airline negative-vs-not macro-F1 0.694,
GoEmotions test negative-vs-not 0.726, frustration ROC-AUC 0.827, MOOC urgency ROC-AUC 0.675, VADER
tweets Spearman 0.854; and on the labelled tickets (sentiment, frustration, impact, signal precision,
signal recall, scenario) 0.54, 0.79, 0.62, 0.71, 0.36, 0.57 for the first tuning batch of 80 and 0.70,
0.75, 0.67, 0.75, 0.39, 0.73 for the held-out set. The learned model is unchanged. The cue lists and
weights in `policies/enrichment.yaml` were corrected against the tuning tickets only, in two rounds:
against the first batch, where the engine missed most security scares, outages, blocked work and
workarounds as office staff describe them, then against a second batch of 80 written afterwards,
which the once-corrected engine scored at 0.50, 0.68, 0.68, 0.88, 0.41, 0.66 (so the first round had
partly learnt one writer's phrasing); the commits that made each round list the changes. The
positive label now needs a score above 0.5, so a polite request is neutral;
`sentiment.negative_below` was re-derived by its rule above (-0.225: dev score 0.7570, against 0.7568
at the previous -0.175) and the frustration thresholds by theirs (unchanged). The held-out sets, the
60 held-out tickets included, were scored after each round; neither score was used to choose
anything. The tables are the second.

Earlier, the negative output was trained on GoEmotions train plus the training rows of the four VADER
sets (all four sets, row weight 2, C 1 with balanced class weights, lexicon share 0.2), chosen by the
selection rule: dev score 0.757 against 0.732 for a model trained on GoEmotions alone, whose airline
figure was 0.623 and GoEmotions test 0.750.

The missed public targets are left as measured: the training text (Reddit comments, review and news
snippets) does not state complaints the way support requesters do, and no labelled support text may
be trained on.

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


def render_report(rows: list[Row], support: str, seconds: float) -> str:
    return REPORT.format(table=table(rows), support=support, seconds=seconds, now=NOW.isoformat())


def run_evaluation(output: Path, log: Callable[[str], None] = print) -> list[Row]:
    """Evaluate, print the table and write the report to ``output``."""
    started = time.perf_counter()
    enricher = Enricher()
    rows = evaluate(enricher, log)
    support = support_table(enricher, log)
    report = render_report(rows, support, time.perf_counter() - started)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    log(table(rows))
    log(support)
    return rows
