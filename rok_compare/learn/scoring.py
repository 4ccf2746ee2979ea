"""The measures of ``shared/tools/score.py extract``, on extraction output in memory.

Counts are kept per document so that they can be summed by fold, set or document type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rok_compare.learn.similarity import MATCH, greedy_match, normalise, similarity

FIELDS = ("parties", "goals", "commitments")


@dataclass(slots=True)
class Counts:
    """True positives, predicted and gold per field; right/total for metadata and attribution."""

    prf: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0, 0] for k in FIELDS})
    meta: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in ("county", "period", "doc_type",
                                                                                     "attribution")})

    def add(self, other: Counts) -> None:
        for key, values in other.prf.items():
            self.prf[key] = [a + b for a, b in zip(self.prf[key], values, strict=True)]
        for key, values in other.meta.items():
            self.meta[key] = [a + b for a, b in zip(self.meta[key], values, strict=True)]

    def f1(self, key: str) -> dict[str, float]:
        tp, predicted, gold = self.prf[key]
        precision = tp / predicted if predicted else (1.0 if not gold else 0.0)
        recall = tp / gold if gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                "tp": tp, "predicted": predicted, "gold": gold}

    def accuracy(self, key: str) -> dict[str, float]:
        right, total = self.meta[key]
        return {"right": right, "total": total, "accuracy": round(right / total, 3) if total else 1.0}

    def summary(self) -> dict:
        return {**{k: self.f1(k) for k in FIELDS}, **{k: self.accuracy(k) for k in self.meta}}


def same_party(gold: str | None, predicted: str) -> bool:
    if gold is None:
        return True
    if gold == "*" or predicted == "*":
        return gold == predicted
    if similarity(gold, predicted) >= MATCH:
        return True
    g, p = set(normalise(gold).split()), set(normalise(predicted).split())
    return bool(g and p) and (g <= p or p <= g)


def score_document(gold: dict, out: dict) -> Counts:
    """One document's counts, as score.py counts them (precision of goals and commitments only where
    the gold list is complete; optional commitments neither missed nor false)."""
    counts = Counts()
    coverage = gold.get("coverage", {})
    complete = {k: str(coverage.get(k, "complete")).startswith("complete") for k in ("goals", "commitments")}
    counts.meta["county"] = [int((out.get("county") or {}).get("code") == gold["county"]["code"]), 1]
    if "period" in gold:
        g, o = gold["period"], out.get("period")
        right = (g is None and o is None) or bool(g and o and g.get("start") == o.get("start")
                                                  and g.get("end") == o.get("end"))
        counts.meta["period"] = [int(right), 1]
    counts.meta["doc_type"] = [int(out.get("doc_type") == gold["doc_type"]), 1]
    parties = [p["name"] for p in out.get("parties", [])]
    matched = greedy_match([p["name"] for p in gold["parties"]], parties)
    counts.prf["parties"] = [len(matched), len(parties), len(gold["parties"])]
    goals = [g["text"] for g in out.get("goals", [])]
    matched = greedy_match(gold["goals"], goals)
    counts.prf["goals"] = [len(matched), len(goals) if complete["goals"] else len(matched), len(gold["goals"])]
    predicted = out.get("commitments", [])
    texts = [c["text"] for c in predicted]
    matched = greedy_match([c["text"] for c in gold["commitments"]], texts)
    used = {j for _, j in matched}
    rest = [j for j in range(len(texts)) if j not in used]
    optional = greedy_match([c["text"] for c in gold.get("optional_commitments", [])], [texts[j] for j in rest])
    n_pred = (len(texts) - len(optional)) if complete["commitments"] else len(matched)
    counts.prf["commitments"] = [len(matched), n_pred, len(gold["commitments"])]
    right = sum(same_party(gold["commitments"][i]["party"], predicted[j].get("party", "")) for i, j in matched)
    counts.meta["attribution"] = [right, len(matched)]
    return counts
