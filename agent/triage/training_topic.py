"""The topic model's part of `redreply train` (see `topic_model.py` for what it is and how it is used).

Data: `reviews_train.jsonl` (each review's corpus and category give its trade: waimai → food, the hotel
corpora → hotel, 书籍 → books, tablets, phones, computers and water heaters → electronics), COLD's train split
(`talk`: social-media comments about people, no purchase in them) and the project's labelled training sections
(`section`: what a brand's own comment section holds). The review ids the situation evals hold out
(`evals/datasets/situations_train_holdout*.jsonl`) are never trained on, and a stratified 10 % of the rest is
held out to measure. Written beside the other artifacts with its own card (`TOPIC_CARD.md`), from the figures
this run measures: the model against the trade word list (`knowledge/wording/trades.yaml`) on the held-out
reviews, and how often each misreads a brand's own comments (the labelled sections, never trained on).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from agent.config import PROJECT_ROOT, Settings
from agent.knowledge.brands import Brand, load_brand
from agent.knowledge.wording import trades
from agent.triage import learned, topic_model, trade
from agent.triage.training_data import check_parity, json_rows, write_softmax

DATASETS = PROJECT_ROOT / "evals" / "datasets"
SECTIONS = DATASETS / "sections"
NGRAM = (1, 2)
MIN_DF = 3
KEEP = 40_000  # the n-grams with the largest weight in any class (a 2 MB artifact)
C = 4.0
HELD_OUT = 0.1
CARD = "TOPIC_CARD.md"


def trade_of(row: dict[str, object]) -> str:
    """The trade of one review row, by its corpus and category (the keys of trades.yaml)."""
    corpus, category = row.get("corpus"), row.get("category")
    if corpus == "waimai_10k":
        return "food"
    if corpus == "ChnSentiCorp_htl_all" or category == "酒店":
        return "hotel"
    return "books" if category == "书籍" else "electronics"


class TopicFigures(BaseModel):
    rows: dict[str, int]  # training rows per class
    vocabulary: int
    heldout_accuracy: float  # the model alone, on the held-out reviews (trades only)
    # Per trade of the held-out reviews: the share the word list, the model (at trade.TRADE_AT, on what the
    # comment says beyond shopping talk, where no own-trade word is named) and either read as another trade
    # than skincare.
    trade_read: dict[str, dict[str, float]]
    talk_on_cold_dev: float  # COLD dev comments the model reads as talk at trade.TALK_AT
    talk_on_reviews: float  # held-out reviews it reads as talk (a customer's story taken for chatter)
    brand_misread: dict[str, dict[str, int]]  # per labelled section split: comments about the brand, and how
    # many the rule / the model read as another trade, and the model as talk
    artifact_bytes: int
    parity_max_abs_diff: float


def _ids(paths: list[Path]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        for _, row in json_rows(path, lambda _line: None):
            if isinstance(row, dict) and isinstance(row.get("id"), str):
                out.add(row["id"])
    return out


def _section_texts(folder: Path, warn: Callable[[str], None]) -> list[tuple[str, str, str]]:
    """(comment id, text, brand) of every comment of a folder's sections."""
    brands = json.loads((folder / "brands.json").read_text(encoding="utf-8"))
    out = []
    for path in sorted(folder.glob("*_comments_*.jsonl")):
        brand = brands.get(path.name.split("_comments_")[0], "")
        for _, row in json_rows(path, warn):
            if isinstance(row, dict) and isinstance(row.get("content"), str):
                out.append((str(row.get("comment_id")), row["content"], brand))
    return out


def _about_brand(folder: Path, warn: Callable[[str], None]) -> list[tuple[str, str]]:
    """(text, brand) of the comments a blind labeller said are about the brand."""
    about = {row["id"] for _, row in json_rows(folder / "labels.jsonl", warn)
             if isinstance(row, dict) and row.get("about") == "brand"}
    return [(text, brand) for cid, text, brand in _section_texts(folder, warn) if cid in about]


class _Fitted:
    def __init__(self, texts: list[str], y: list[str], seed: int) -> None:
        analyzer = partial(learned.char_ngrams, lo=NGRAM[0], hi=NGRAM[1])
        counts = CountVectorizer(analyzer=analyzer, min_df=MIN_DF).fit(texts)
        full = counts.transform(texts)
        first = self._fit(TfidfTransformer(sublinear_tf=True).fit_transform(full), y, seed)
        keep = np.sort(np.argsort(-np.abs(first.coef_).max(axis=0), kind="stable")[:KEEP])
        self.counter = CountVectorizer(analyzer=analyzer, vocabulary=counts.get_feature_names_out()[keep].tolist())
        kept = self.counter.transform(texts)
        self.tfidf = TfidfTransformer(sublinear_tf=True).fit(kept)
        self.linear = self._fit(self.tfidf.transform(kept), y, seed)

    @staticmethod
    def _fit(x, y: list[str], seed: int) -> LogisticRegression:  # type: ignore[no-untyped-def]
        # Balanced: the few section comments weigh as much as the many reviews of one trade.
        return LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed).fit(x, y)

    def proba(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.linear.predict_proba(self.tfidf.transform(self.counter.transform(texts))))


def _read(data_dir: Path, warn: Callable[[str], None]) -> tuple[list[dict], list[dict]]:
    """(reviews, COLD train rows), the situation evals' held-out reviews left out."""
    held_by_evals = _ids(sorted(DATASETS.glob("situations_train_holdout*.jsonl")))
    reviews = [r for _, r in json_rows(data_dir / "reviews_train.jsonl", warn)
               if isinstance(r, dict) and isinstance(r.get("text"), str) and r.get("id") not in held_by_evals]
    cold = [r for _, r in json_rows(data_dir / "cold_train.jsonl", warn)
            if isinstance(r, dict) and isinstance(r.get("text"), str)]
    return reviews, cold


def _split(data_dir: Path, seed: int, warn: Callable[[str], None]) -> tuple[list[dict], list[dict], list[int], list[int]]:
    """(reviews, COLD train rows, indices to fit, indices held out)."""
    reviews, cold = _read(data_dir, warn)
    fit_i, held_i = train_test_split(np.arange(len(reviews)), test_size=HELD_OUT, random_state=seed,
                                     stratify=[trade_of(r) for r in reviews])
    return reviews, cold, list(fit_i), list(held_i)


def train_topic(data_dir: Path, out_dir: Path, seed: int, warn: Callable[[str], None],
                say: Callable[[str], None], fit_model: bool = True) -> TopicFigures:
    """Fit and write the model (`fit_model`), then measure the one in out_dir."""
    reviews, cold, fit_i, held_i = _split(data_dir, seed, warn)
    sections = [text for _, text, _ in _section_texts(SECTIONS / "train", warn)]
    y = [trade_of(reviews[i]) for i in fit_i] + [topic_model.TALK] * len(cold) + [topic_model.SECTION] * len(sections)
    path = out_dir / topic_model.TOPIC_FILE
    sample = [learned.normalize(reviews[i]["text"]) for i in held_i[:300]]
    diff = 0.0
    if fit_model:
        raw = [reviews[i]["text"] for i in fit_i] + [r["text"] for r in cold] + sections
        say(f"topic: {len(raw)} rows ({dict(sorted(Counter(y).items()))})")
        model = _Fitted([learned.normalize(t) for t in raw], y, seed)
        write_softmax(path, model.counter, model.tfidf, model.linear, NGRAM)
        runtime = topic_model.TopicModel(path)
        diff = check_parity(path, np.array([runtime.proba(t) for t in sample]), model.proba(sample))
    runtime = topic_model.TopicModel(path)
    figures = _measure(runtime, [reviews[i] for i in held_i], data_dir, warn)
    return TopicFigures(rows=dict(sorted(Counter(y).items())), vocabulary=len(runtime.vocab),
                        artifact_bytes=path.stat().st_size, parity_max_abs_diff=diff, **figures)


def _model_trade(model: topic_model.TopicModel, text: str, brand: Brand) -> str | None:
    rest = trade.beyond_shopping(text)
    return trade.model_trade(text, brand, model.guess(rest)) if rest else None


def _measure(model: topic_model.TopicModel, held: list[dict], data_dir: Path,
             warn: Callable[[str], None]) -> dict[str, object]:
    """The figures on text it never trained on, the rule beside it."""
    settings = Settings()
    brands = {b: load_brand(settings.knowledge_dir, b) for b in ("glowskin", "threadline")}
    skincare = brands["glowskin"]
    guesses = [model.guess(r["text"]) for r in held]
    truth = [trade_of(r) for r in held]
    by_rule = [trade.other_trade_by_words(r["text"], skincare) is not None for r in held]
    by_model = [_model_trade(model, r["text"], skincare) is not None for r in held]
    share = lambda xs: round(float(np.mean(xs)), 4) if len(xs) else 0.0  # noqa: E731
    read = {}
    for name in sorted(set(truth)):
        rows = [i for i, t in enumerate(truth) if t == name]
        read[name] = {"rows": len(rows), "rule": share([by_rule[i] for i in rows]),
                      "model": share([by_model[i] for i in rows]),
                      "either": share([by_rule[i] or by_model[i] for i in rows])}
    cold_dev = [r["text"] for _, r in json_rows(data_dir / "cold_dev.jsonl", warn) if isinstance(r, dict)][:2000]
    misread: dict[str, dict[str, int]] = {}
    for split in ("dev", "holdout", "fresh"):
        own = _about_brand(SECTIONS / split, warn)
        misread[split] = {
            "about_brand": len(own),
            "rule_other_trade": sum(trade.other_trade_by_words(t, brands[b]) is not None for t, b in own),
            "model_other_trade": sum(_model_trade(model, t, brands[b]) is not None for t, b in own),
            "model_talk": sum(trade.model_talk(t, brands[b], model.guess(t)) for t, b in own)}
    return {
        "heldout_accuracy": share([g.topic == t for g, t in zip(guesses, truth, strict=True)]),
        "trade_read": read,
        "talk_on_cold_dev": share([trade.model_talk(t, skincare, model.guess(t)) for t in cold_dev]),
        "talk_on_reviews": share([g.topic == topic_model.TALK and g.p >= trade.TALK_AT for g in guesses]),
        "brand_misread": misread}


def card(f: TopicFigures) -> str:
    rows = "\n".join(f"| {split} | {m['about_brand']} | {m['rule_other_trade']} | {m['model_other_trade']} | "
                     f"{m['model_talk']} |" for split, m in f.brand_misread.items())
    read = "\n".join(f"| {name} | {int(m['rows'])} | {m['rule']:.3f} | {m['model']:.3f} | {m['either']:.3f} |"
                     for name, m in f.trade_read.items())
    parity = f", reproducing sklearn to {f.parity_max_abs_diff:.1e}" if f.parity_max_abs_diff else ""
    return f"""# Topic model (`topic.npz`)

Generated by `python -m agent.triage.training_topic --data ../shared/data/train` (also run by `redreply train`).
Do not edit: rerun the command. Figures below are measured by that run.

Data: {", ".join(f"{k} {v}" for k, v in f.rows.items())} rows; trades from `reviews_train.jsonl`
(SophonPlus/ChineseNlpCorpus, used to train and measure only, no text shipped), `talk` from COLD's train split
(thu-coai/COLDataset, Apache-2.0), `section` from the project's training sections. The situation evals'
held-out reviews are never trained on; a stratified {HELD_OUT:.0%} of the rest is held out to measure.
Method: character {NGRAM[0]}–{NGRAM[1]}-gram sublinear tf-idf, the {f.vocabulary} n-grams of largest weight,
multinomial logistic regression (C={C}, balanced classes); runtime `agent/triage/topic_model.py`{parity};
{f.artifact_bytes / 1e6:.1f} MB.

## Held-out reviews (never trained on)
- the model's trade, top class: accuracy {f.heldout_accuracy:.3f};
- read as talk at {trade.TALK_AT}: {f.talk_on_reviews:.4f}. COLD dev comments read as talk: {f.talk_on_cold_dev:.3f}.

Read as another trade than skincare (the model at {trade.TRADE_AT}, on what a comment says beyond shopping talk,
only for {", ".join(trades().learned.trades)}):

| trade | reviews | word list | model | either |
|---|---|---|---|---|
{read}

## A brand's own comments (labelled sections, about the brand; never trained on)
| split | comments | word list: another trade | model: another trade | model: talk |
|---|---|---|---|---|
{rows}
"""


def write_card(out_dir: Path, figures: TopicFigures) -> None:
    (out_dir / CARD).write_text(card(figures), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="train the topic model alone")
    parser.add_argument("--data", type=Path, required=True, help="folder with reviews_train/cold_train/cold_dev.jsonl")
    parser.add_argument("--out", type=Path, default=learned.MODEL_DIR)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--measure-only", action="store_true", help="measure the model in --out, fit nothing")
    args = parser.parse_args(argv)
    if not (args.data / "reviews_train.jsonl").is_file():
        print(f"error: {args.data / 'reviews_train.jsonl'} not found", file=sys.stderr)
        return 2
    say = lambda line: print(line, file=sys.stderr)  # noqa: E731
    figures = train_topic(args.data, args.out, args.seed, say, say, fit_model=not args.measure_only)
    write_card(args.out, figures)
    print(figures.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
