"""Train ``model.json`` from GoEmotions train (fit) and dev (choice of settings).

Run: ``python -m middleware.enrichment.train`` (needs numpy and scikit-learn, which the service
does not); ``--tune`` instead prints the tuning-set scores of candidate thresholds for the
policy file. Only the tuning sets named in ``../shared/datasets/README.md`` are read: GoEmotions
train.tsv and dev.tsv (the negative output's settings and the blend of lexicon and model in the
sentiment score, by the engine's negative-vs-not macro-F1 on dev), and the VADER tweets ground truth
which, with GoEmotions dev, picks the negative cut. The held-out sets (GoEmotions test,
airline tweets, MOOC) are never read here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from middleware.enrichment import model, text, valence

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
FRUSTRATION = {"anger", "annoyance", "disappointment", "disapproval"}


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


# The negative output is what the sentiment label rests on, so its settings were chosen by the
# engine's negative-vs-not macro-F1 on GoEmotions dev (cut by the rule in ``tune``), sweeping
# min-count 2/3, C 0.06..2, class weights none/balanced, negation-scope features (no consistent gain)
# and the blend: C=0.5 with balanced class weights, min-count 2, prune 0.2.
NEGATIVE_C = 0.5


def fit_negative(x_train, y_train):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=NEGATIVE_C, class_weight="balanced", max_iter=5000).fit(x_train, y_train)


def read_vader_tweets() -> tuple[list[str], list[float]]:
    rows = (DATA / "vader_groundtruth" / "tweets_GroundTruth.txt").read_text(encoding="utf-8").splitlines()
    parts = [r.split("\t") for r in rows if r.strip()]
    return [p[2] for p in parts], [float(p[1]) for p in parts]


def choose_blend(weights: dict) -> float:
    """The lexicon share of the sentiment score with the best GoEmotions dev negative-vs-not macro-F1.

    Each blend is scored at its own negative cut, picked by the rule in ``tune`` (mean macro-F1 of
    GoEmotions dev and the VADER tweets).
    """
    enricher, data = _tuning_runs()
    best = None
    for blend in BLENDS:
        enricher.model.weights, enricher.model.dense = weights["ngrams"], weights["dense"]
        enricher.model.bias, enricher.model.blend = weights["bias"], blend
        _, cut, f1_dev, f1_tweets, _ = _best_cut(enricher, data)
        print(f"blend {blend}: cut {cut:+.3f}, GoEmotions dev macro-F1 {f1_dev:.4f} "
              f"(VADER tweets {f1_tweets:.3f})")
        if best is None or f1_dev > best[0]:
            best = (f1_dev, blend)
    return best[1]


BLENDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--prune", type=float, default=0.2,
                        help="drop n-grams whose weights are all smaller")
    parser.add_argument("--out", type=Path, default=model.MODEL_PATH)
    parser.add_argument("--tune", action="store_true", help="suggest thresholds from GoEmotions dev")
    args = parser.parse_args(argv)
    if args.tune:
        return tune()
    lexicon = valence.load_lexicon()
    train_texts, train_labels = read_goemotions("train")
    dev_texts, dev_labels = read_goemotions("dev")
    train_grams, train_dense = featurize(train_texts, lexicon)
    dev_grams, dev_dense = featurize(dev_texts, lexicon)
    vocab = build_vocab(train_grams, args.min_count)
    x_train, x_dev = matrix(train_grams, train_dense, vocab), matrix(dev_grams, dev_dense, vocab)
    y_train, y_dev = targets(train_labels), targets(dev_labels)
    fitted = [fit_negative(x_train, y_train[0])]
    fitted += [fit_output(x_train, y_train[k], x_dev, y_dev[k], model.OUTPUTS[k]) for k in (1, 2)]
    weights = export(fitted, vocab, args.prune)
    weights["blend"] = choose_blend(weights)
    args.out.write_text(json.dumps(weights, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {args.out}: {len(weights['ngrams'])} n-grams, blend {weights['blend']}")
    return 0


def export(fitted: list, vocab: dict[str, int], prune: float) -> dict:
    coefs = [clf.coef_[0] for clf in fitted]
    n = len(vocab)
    grams = {}
    for gram, i in vocab.items():
        w = [round(float(c[i]), 3) for c in coefs]
        if max(abs(x) for x in w) >= prune:
            grams[gram] = w
    dense = [[round(float(c[n + j]), 4) for c in coefs] for j in range(3)]
    bias = [round(float(clf.intercept_[0]), 4) for clf in fitted]
    return {"ngrams": grams, "dense": dense, "bias": bias}


VADER_NEGATIVE_MEAN = -0.5  # a VADER tweet is negative when its raters' mean (-4..4) is at most this


def tune() -> int:
    """Print the sentiment and frustration thresholds that fit the tuning sets best.

    ``negative_below`` maximises the mean of two macro-F1 figures: GoEmotions dev (negative = any
    label in the dataset's negative group; Reddit comments) and the VADER tweets ground truth
    (negative = raters' mean <= -0.5; short messages, closer to support traffic). The frustration
    thresholds come from GoEmotions dev alone.
    """
    enricher, data = _tuning_runs()
    best = _best_cut(enricher, data, verbose=True)
    print(f"sentiment.negative_below: {best[1]} (mean macro-F1 {best[0]:.3f}: "
          f"GoEmotions dev {best[2]:.3f}, VADER tweets {best[3]:.3f})")
    out, frustrated = best[4], data["dev_frustrated"]
    upset = [o["frustration"]["score"] for o in out]
    cuts = [round(0.1 + 0.02 * i, 3) for i in range(45)]
    for name, precision in (("mild", 0.5), ("high", 0.7)):
        hits = (c for c in cuts if _precision(frustrated, [s >= c for s in upset]) >= precision)
        cut = next(hits, cuts[-1])
        print(f"frustration.thresholds.{name}: {cut} (first cut with dev precision >= {precision})")
    return 0


def _tuning_runs() -> tuple:
    """An engine that labels only stated complaints negative, and the two tuning sets for the cut."""
    import dataclasses

    from middleware.enrichment import Enricher, load_config

    config = load_config()
    enricher = Enricher(dataclasses.replace(config, sentiment={**config.sentiment, "negative_below": -9.0}))
    texts, labels = read_goemotions("dev")
    negative, _, frustrated = ([bool(y) for y in ys] for ys in targets(labels))
    tweets, means = read_vader_tweets()
    return enricher, {"dev": texts, "dev_negative": negative, "dev_frustrated": frustrated,
                      "tweets": tweets, "tweet_negative": [m <= VADER_NEGATIVE_MEAN for m in means]}


def _best_cut(enricher, data: dict, verbose: bool = False) -> tuple:
    """(mean macro-F1, cut, GoEmotions dev macro-F1, VADER tweets macro-F1, dev enrichments)."""
    from middleware.evaluate import macro_f1

    out = [enricher.enrich({"id": i, "description": t}) for i, t in enumerate(data["dev"])]
    tweet_out = [enricher.enrich({"id": i, "description": t}) for i, t in enumerate(data["tweets"])]
    best = None
    for cut in [round(-0.6 + 0.025 * i, 3) for i in range(41)]:
        dev = macro_f1(data["dev_negative"], [_negative(o, cut) for o in out])
        twe = macro_f1(data["tweet_negative"], [_negative(o, cut) for o in tweet_out])
        if verbose:
            print(f"cut {cut:+.3f}: GoEmotions dev {dev:.3f}, VADER tweets {twe:.3f}, "
                  f"mean {(dev + twe) / 2:.3f}")
        if best is None or (dev + twe) / 2 > best[0]:
            best = ((dev + twe) / 2, cut, dev, twe, out)
    return best


def _negative(enrichment: dict, cut: float) -> bool:
    """The label the engine gives with ``negative_below = cut``: a stated complaint stays negative.

    ``tune`` enriches with ``negative_below`` far below any score, so a "negative" label there means
    a complaint cue fired (and the score was not positive).
    """
    mood = enrichment["sentiment"]
    return mood["label"] == "negative" or mood["score"] < cut


def _precision(labels: list[bool], predicted: list[bool]) -> float:
    hits = [y for y, p in zip(labels, predicted, strict=True) if p]
    return sum(hits) / len(hits) if hits else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
