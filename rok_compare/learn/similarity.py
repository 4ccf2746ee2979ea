"""Text similarity as the evaluation measures it (``shared/tools/score.py``), for labels and scores."""

from __future__ import annotations

import difflib
import re
import unicodedata

MATCH = 0.85


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").lower()
    text = re.sub(r"[\u00ad\u200b]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def similarity(a: str, b: str) -> float:
    """1 for the same text, 0.95 when one holds the other nearly whole, else the difflib ratio."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 0.6 * len(long_) and short in long_:
        return 0.95
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def greedy_match(gold: list[str], predicted: list[str]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) with similarity >= MATCH, best first."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            score = similarity(g, p)
            if score >= MATCH:
                candidates.append((score, i, j))
    candidates.sort(reverse=True)
    used_gold, used_pred, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs
