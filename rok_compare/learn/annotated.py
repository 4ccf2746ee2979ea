"""The annotated documents: the bundled seeds and the development and training sets in ``../shared``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SETS = ("seeds", "dev", "train")


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    set: str
    path: Path
    gold: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def county(self) -> str:
        """The county code: the unit of cross-validation (a county's documents share wording)."""
        return (self.gold.get("county") or {}).get("code") or "none"

    def complete(self, field: str) -> bool:
        return str(self.gold.get("coverage", {}).get(field, "complete")).startswith("complete")


def corpus_dir(set_name: str, shared: Path = SHARED) -> Path:
    return ROOT / "corpus" / "seeds" if set_name == "seeds" else shared / "corpus" / set_name


def annotated_documents(sets: tuple[str, ...] = SETS, shared: Path = SHARED) -> list[AnnotatedDocument]:
    """Every document with a gold file in ``sets``, in a fixed order; missing sets are skipped."""
    documents = []
    for set_name in sets:
        gold_dir = shared / "gold" / set_name
        for gold_path in sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            path = corpus_dir(set_name, shared) / gold["doc"]
            if path.exists():
                documents.append(AnnotatedDocument(set_name, path, gold))
    return documents
