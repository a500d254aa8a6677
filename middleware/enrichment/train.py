"""Train ``model.json``: GoEmotions train plus the VADER ground truth (fit), tuning splits (choice).

Run: ``python -m middleware.enrichment.train`` (needs numpy and scikit-learn, which the service
does not); ``--tune`` instead prints the tuning-set scores of candidate thresholds for the policy
file; ``--sweep`` prints the dev scores of the candidate settings of the negative output. Only the
training and tuning sets named in ``../shared/datasets/README.md`` are read: GoEmotions train.tsv
and dev.tsv and the four VADER ground-truth sets. The held-out sets (GoEmotions test, airline
tweets, MOOC) are never read here.

Data. Each VADER set (tweets, Amazon, movie and NYT snippets) is split once, by a fixed seed and
stratified by its negative label, into 80 % training rows and 20 % dev rows (``vader_split``); the
dev rows are never trained on. The positive and frustration outputs are fitted on GoEmotions train
alone, as before; the negative output on GoEmotions train plus the training rows of the VADER sets
in ``VADER_SETS`` (a VADER row is negative when its raters' mean is <= -0.5 on -4..4).

Selection rule (fixed before any held-out set was scored with a model trained this way): every
choice for the negative output and the sentiment label -- which VADER sets are trained on, the
weight of their rows against the Reddit rows, C, dropping the ambiguous band (-0.5 < mean < 0),
the lexicon share of the sentiment score and ``sentiment.negative_below`` -- maximises the DEV
SCORE: the unweighted mean of five negative-vs-not macro-F1 figures of the engine's label, on
GoEmotions dev and on the dev rows of each of the four VADER sets (each configuration scored at
its own best cut). A new model is kept only if its dev score beats the current model's, computed
by the same rule. Frustration ROC-AUC on GoEmotions dev must stay >= 0.78 (a sanity check).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from datetime import datetime
from pathlib import Path

from middleware.enrichment import model, text, valence

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
FRUSTRATION = {"anger", "annoyance", "disappointment", "disapproval"}
VADER_FILES = {"tweets": "tweets_GroundTruth.txt", "amazon": "amazonReviewSnippets_GroundTruth.txt",
               "movies": "movieReviewSnippets_GroundTruth.txt", "nyt": "nytEditorialSnippets_GroundTruth.txt"}
VADER_NEGATIVE_MEAN = -0.5  # a VADER row is negative when its raters' mean (-4..4) is at most this
DEV_SHARE, SPLIT_SEED = 0.2, 2026
NOW = datetime(2026, 1, 15, 10, 0)

# Settings of the negative output, chosen by the selection rule in the module docstring
# (``--sweep`` prints the candidates' dev scores).
VADER_SETS = ("tweets", "amazon", "movies", "nyt")
VADER_WEIGHT = 2.0  # sample weight of a VADER training row (a Reddit row weighs 1)
NEGATIVE_C = 1.0
DROP_AMBIGUOUS = False  # leave out VADER training rows with -0.5 < mean < 0
BLENDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
CUTS = [round(-0.6 + 0.025 * i, 3) for i in range(41)]


def read_goemotions(split: str) -> tuple[list[str], list[set[str]]]:
    names = (DATA / "goemotions" / "emotions.txt").read_text().split()
    texts, labels = [], []
    for line in (DATA / "goemotions" / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        body, ids, _ = line.split("\t")
        texts.append(body)
        labels.append({names[int(i)] for i in ids.split(",")})
    return texts, labels


def targets(labels: list[set[str]]) -> list[list[int]]:
    groups = json.loads((DATA / "goemotions" / "sentiment_dict.json").read_text())
    sets = (set(groups["negative"]), set(groups["positive"]), FRUSTRATION)
    return [[int(bool(lab & s)) for lab in labels] for s in sets]


def read_vader(name: str) -> tuple[list[str], list[float]]:
    rows = (DATA / "vader_groundtruth" / VADER_FILES[name]).read_text(encoding="utf-8").splitlines()
    parts = [r.split("\t") for r in rows if r.strip()]
    return [p[2] for p in parts], [float(p[1]) for p in parts]


def read_vader_tweets() -> tuple[list[str], list[float]]:
    return read_vader("tweets")


def vader_split(name: str) -> dict[str, tuple[list[str], list[float]]]:
    """The fixed split of one VADER set: 20 % dev rows per class (seeded), the rest for training."""
    texts, means = read_vader(name)
    dev = set()
    for negative in (True, False):
        rows = [i for i, m in enumerate(means) if (m <= VADER_NEGATIVE_MEAN) == negative]
        random.Random(f"{SPLIT_SEED}-{name}-{negative}").shuffle(rows)
        dev.update(rows[:round(DEV_SHARE * len(rows))])
    pick = {"train": [i for i in range(len(texts)) if i not in dev], "dev": sorted(dev)}
    return {k: ([texts[i] for i in idx], [means[i] for i in idx]) for k, idx in pick.items()}


def featurize(texts: list[str], lexicon: dict) -> tuple[list[set[str]], list[tuple]]:
    grams, dense = [], []
    for body in texts:
        tokens = text.tokenize(body)
        lowered = text.lower_tokens(tokens)
        grams.append(model.ngrams(lowered))
        dense.append(model.dense(valence.score(tokens, lowered, lexicon)))
    return grams, dense


def matrix(grams: list[set[str]], dense: list[tuple], vocab: dict[str, int]):
    import numpy as np
    from scipy.sparse import csr_matrix, hstack

    rows, cols = [], []
    for r, g in enumerate(grams):
        idx = [vocab[x] for x in g if x in vocab]
        rows.extend([r] * len(idx))
        cols.extend(idx)
    sparse = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(grams), len(vocab)))
    return hstack([sparse, csr_matrix(np.array(dense))]).tocsr()


def build_vocab(grams: list[set[str]], min_count: int) -> dict[str, int]:
    from collections import Counter

    counts = Counter(g for gs in grams for g in gs)
    kept = sorted(g for g, c in counts.items() if c >= min_count)
    return {g: i for i, g in enumerate(kept)}


def fit_output(x_train, y_train, x_dev, y_dev, name: str):
    """Positive and frustration: the regularisation with the best GoEmotions dev ROC-AUC."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    best = None
    for c in (0.03, 0.06, 0.1, 0.2):
        clf = LogisticRegression(C=c, max_iter=2000).fit(x_train, y_train)
        auc = roc_auc_score(y_dev, clf.predict_proba(x_dev)[:, 1])
        print(f"{name}: C={c} dev ROC-AUC {auc:.4f}")
        if best is None or auc > best[0]:
            best = (auc, clf)
    return best[1]


class Corpus:
    """Featurized training rows: GoEmotions train and the training rows of each VADER set."""

    def __init__(self, lexicon: dict) -> None:
        texts, labels = read_goemotions("train")
        self.goemotions = featurize(texts, lexicon) + (targets(labels),)
        self.vader = {}
        for name in VADER_FILES:
            texts, means = vader_split(name)["train"]
            self.vader[name] = featurize(texts, lexicon) + (means,)

    def negative_rows(self, sets, weight: float, drop_ambiguous: bool) -> tuple:
        """(grams, dense, labels, sample weights) for the negative output."""
        grams, dense, ys = self.goemotions
        grams, dense, y, w = list(grams), list(dense), list(ys[0]), [1.0] * len(grams)
        for name in sets:
            for g, d, m in zip(*self.vader[name], strict=True):
                if drop_ambiguous and VADER_NEGATIVE_MEAN < m < 0:
                    continue
                grams.append(g)
                dense.append(d)
                y.append(int(m <= VADER_NEGATIVE_MEAN))
                w.append(weight)
        return grams, dense, y, w


def fit_negative(corpus: Corpus, min_count: int, sets=VADER_SETS, weight: float = VADER_WEIGHT,
                 c: float = NEGATIVE_C, drop_ambiguous: bool = DROP_AMBIGUOUS):
    """The negative output: balanced class weights, times the per-source row weight."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    grams, dense, y, w = corpus.negative_rows(sets, weight, drop_ambiguous)
    vocab = build_vocab(grams, min_count)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(matrix(grams, dense, vocab), y, sample_weight=np.array(w))
    return clf, vocab


def export(fitted: list, vocabs: list[dict[str, int]], prune: float) -> dict:
    """Weights of the three outputs, each over its own vocabulary (absent n-grams weigh 0)."""
    grams = {}
    for gram in sorted(set().union(*vocabs)):
        w = [round(float(clf.coef_[0][v[gram]]), 3) if gram in v else 0.0
             for clf, v in zip(fitted, vocabs, strict=True)]
        if max(abs(x) for x in w) >= prune:
            grams[gram] = w
    dense = [[round(float(clf.coef_[0][len(v) + j]), 4) for clf, v in zip(fitted, vocabs, strict=True)]
             for j in range(3)]
    bias = [round(float(clf.intercept_[0]), 4) for clf in fitted]
    return {"ngrams": grams, "dense": dense, "bias": bias}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--prune", type=float, default=0.2,
                        help="drop n-grams whose weights are all smaller")
    parser.add_argument("--out", type=Path, default=model.MODEL_PATH)
    parser.add_argument("--tune", action="store_true", help="suggest thresholds from the tuning sets")
    parser.add_argument("--sweep", action="store_true", help="dev scores of candidate negative settings")
    parser.add_argument("--current", action="store_true", help="dev score of the committed model")
    args = parser.parse_args(argv)
    if args.tune:
        return tune()
    if args.current:
        dev, committed = DevSets(), model.TextModel(args.out)
        print(f"committed model, blend and cut by the rule: {dev.score(committed)}")
        print(f"committed model, committed blend: {dev.score(committed, (committed.blend,))}")
        return 0
    lexicon = valence.load_lexicon()
    corpus = Corpus(lexicon)
    if args.sweep:
        return sweep(corpus, args)
    train_grams, train_dense, y_train = corpus.goemotions
    dev_texts, dev_labels = read_goemotions("dev")
    dev_grams, dev_dense = featurize(dev_texts, lexicon)
    vocab = build_vocab(train_grams, args.min_count)
    x_train, x_dev = matrix(train_grams, train_dense, vocab), matrix(dev_grams, dev_dense, vocab)
    y_dev = targets(dev_labels)
    negative, negative_vocab = fit_negative(corpus, args.min_count)
    fitted = [negative] + [fit_output(x_train, y_train[k], x_dev, y_dev[k], model.OUTPUTS[k]) for k in (1, 2)]
    weights = export(fitted, [negative_vocab, vocab, vocab], args.prune)
    text_model = _model(weights, 0.0)
    result = DevSets().score(text_model, verbose=True)
    weights["blend"] = result["blend"]
    args.out.write_text(json.dumps(weights, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {args.out}: {len(weights['ngrams'])} n-grams, blend {weights['blend']}; {result}")
    return 0


def _model(weights: dict, blend: float) -> model.TextModel:
    m = model.TextModel.__new__(model.TextModel)
    m.weights, m.dense, m.bias, m.blend = weights["ngrams"], weights["dense"], weights["bias"], blend
    return m


class DevSets:
    """The five dev sets of the selection rule, with what the engine sees in each text.

    Cues, valence and tokens do not depend on the model, so they are computed once; a candidate
    model is then scored exactly as the engine scores it (``sentiment.score`` and ``label``).
    """

    def __init__(self) -> None:
        import dataclasses

        from middleware.enrichment import Enricher, frustration, load_config

        config = load_config()
        self.sentiment = config.sentiment
        no_cut = {**config.sentiment, "negative_below": -9.0}
        enricher = Enricher(dataclasses.replace(config, sentiment=no_cut))
        sets = {}
        texts, labels = read_goemotions("dev")
        sets["GoEmotions dev"] = (texts, [bool(y) for y in targets(labels)[0]])
        for name in VADER_FILES:
            texts, means = vader_split(name)["dev"]
            sets[f"VADER {name} dev"] = (texts, [m <= VADER_NEGATIVE_MEAN for m in means])
        self.sets = {}
        for name, (texts, gold) in sets.items():
            rows = []
            for t in texts:
                msg = enricher.analyse([("description", t)], NOW)
                pull = self.sentiment["cue_weight"] * frustration.cue_strength(
                    msg.cues, self.sentiment["cue_weights"])
                complaint = any(c.kind in enricher.complaint_kinds for c in msg.cues)
                lowered = text.lower_tokens(text.tokenize(t))
                rows.append((lowered, msg.valence, pull, complaint))
            self.sets[name] = (rows, gold)

    def score(self, text_model: model.TextModel, blends=None, verbose: bool = False) -> dict:
        """The best (blend, cut) by the mean macro-F1 over the five dev sets, and its components."""
        from middleware.enrichment import sentiment
        from middleware.evaluate import macro_f1

        blends = BLENDS if blends is None else blends
        probs = {name: [text_model.predict(r[0], r[1]) for r in rows]
                 for name, (rows, _) in self.sets.items()}
        best = None
        for blend in blends:
            scores = {name: [sentiment.score(r[1], p, blend, r[2])
                             for r, p in zip(rows, probs[name], strict=True)]
                      for name, (rows, _) in self.sets.items()}
            for cut in CUTS:
                config = {**self.sentiment, "negative_below": cut}
                parts = {}
                for name, (rows, gold) in self.sets.items():
                    predicted = [sentiment.label(s, config, r[3]) == "negative"
                                 for s, r in zip(scores[name], rows, strict=True)]
                    parts[name] = round(macro_f1(gold, predicted), 4)
                mean = round(sum(parts.values()) / len(parts), 4)
                if best is None or mean > best["mean"]:
                    best = {"mean": mean, "blend": blend, "cut": cut, "parts": parts}
            if verbose:
                print(f"blend {blend}: best so far {best}")
        return best


SWEEP = [*itertools.product((("tweets",), ("tweets", "amazon"), ("tweets", "amazon", "nyt"), VADER_SETS),
                           (0.5, 1.0, 2.0), (0.25, 0.5, 1.0), (False, True)),
         *itertools.product((VADER_SETS,), (3.0, 4.0), (0.25, 0.5), (False,))]


def sweep(corpus: Corpus, args, grid=SWEEP) -> int:
    """Dev score of each candidate setting of the negative output (positive/frustration unchanged)."""
    dev = DevSets()
    current = model.TextModel()
    print(f"committed model: {dev.score(current)}", flush=True)
    for sets, weight, c, drop in grid:
        clf, vocab = fit_negative(corpus, args.min_count, sets, weight, c, drop)
        negative = export([clf], [vocab], args.prune)
        grams = {g: [0.0, *w[1:]] for g, w in current.weights.items()}
        for g, w in negative["ngrams"].items():
            grams[g] = [w[0], *current.weights.get(g, [0.0, 0.0, 0.0])[1:]]
        cand = {"ngrams": grams, "bias": [negative["bias"][0], *current.bias[1:]],
                "dense": [[d[0], *cd[1:]] for d, cd in zip(negative["dense"], current.dense, strict=True)]}
        print(f"sets={','.join(sets)} weight={weight} C={c} drop={drop}: {dev.score(_model(cand, 0.0))}",
              flush=True)
    return 0


def tune() -> int:
    """Print the sentiment and frustration thresholds that fit the tuning sets best.

    ``negative_below``: the cut with the best dev score (the selection rule in the module docstring)
    at the committed blend. The frustration thresholds come from GoEmotions dev alone: the first
    score at which the tag is right at least half the time (mild) and 70 % of the time (high).
    """
    import dataclasses

    from middleware.enrichment import Enricher, load_config
    from middleware.evaluate import roc_auc

    text_model = model.TextModel()
    best = DevSets().score(text_model, (text_model.blend,))
    print(f"sentiment.negative_below: {best['cut']} (dev score {best['mean']:.4f}: {best['parts']})")
    config = load_config()
    enricher = Enricher(dataclasses.replace(config, sentiment={**config.sentiment, "negative_below": -9.0}))
    texts, labels = read_goemotions("dev")
    frustrated = [bool(y) for y in targets(labels)[2]]
    upset = [enricher.enrich({"id": i, "description": t})["frustration"]["score"]
             for i, t in enumerate(texts)]
    print(f"frustration ROC-AUC, GoEmotions dev: {roc_auc(frustrated, upset):.4f}")
    cuts = [round(0.1 + 0.02 * i, 3) for i in range(45)]
    for name, precision in (("mild", 0.5), ("high", 0.7)):
        hits = (c for c in cuts if _precision(frustrated, [s >= c for s in upset]) >= precision)
        cut = next(hits, cuts[-1])
        print(f"frustration.thresholds.{name}: {cut} (first cut with dev precision >= {precision})")
    return 0


def _precision(labels: list[bool], predicted: list[bool]) -> float:
    hits = [y for y, p in zip(labels, predicted, strict=True) if p]
    return sum(hits) / len(hits) if hits else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
