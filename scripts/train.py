"""Rebuild the models in ``models/``: the extraction deciders, then the clause kind and theme models.

    python scripts/train.py [--shared ../shared] [--out models] [--metrics FILE] [--group document|county]
                            [--learning-curve]

The deciders (parties, goal/commitment sentences, document type, period) are fitted on every annotated
document in ``../shared/gold`` (seeds, dev, train); see ``rok_compare/learn`` and
``scripts/evaluate.py`` for their leave-one-county-out figures. The clause models are then fitted on
``corpus/annotations/clauses.jsonl`` as extraction with the new deciders sees the clauses.

Each annotated document is read again from its set folder and extracted with the keyword rules
(not the models being rebuilt); annotations are matched to clauses by span and checked by the
sha1 of the clause text (mismatches are reported and skipped). Models are evaluated by
cross-validation grouped by document (``--group county``: by county, from the gold files), then
fitted on all annotations (seeds, dev and train documents). Same input, same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

# One BLAS thread: the fits are many and small, and on a shared 2-core machine a thread pool per fit
# spins for cores it does not get (a leave-one-county-out run took 25 min with it, a few in CPU).
# Set before numpy is first imported.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["ROK_CLAUSE_MODELS"] = "off"  # features come from the rules, never from the models being built

from rok_compare.classify import KIND_FILE, THEMES_FILE, ClauseClassifier, ClauseInput  # noqa: E402
from rok_compare.extract import clauses as clause_module  # noqa: E402
from rok_compare.extract import deciders as deciders_module  # noqa: E402
from rok_compare.extract import extract_document  # noqa: E402
from rok_compare.learn.annotated import annotated_documents  # noqa: E402
from rok_compare.learn.fitting import KEEP_RULES, PARTY_THRESHOLD, RULE_BLIND_SETS, fit_deciders, prepare  # noqa: E402

DECIDED = ("goal", "commitment")
"""Kinds that extraction decides itself; the kind model is used for the other clauses."""
KIND_PARAMS: dict = {"C": 20.0}
THEME_PARAMS: dict = {"C": 10.0, "threshold": 0.3}
# Both use the default blocks (character 3- and 5-grams, stems, rule and shape cues): identical
# vocabularies, so extraction gets kind and theme scores from one product per block. Section-heading
# stems, stem bigrams and the first word were tried and left out (no gain cross-validated, or a loss), and so
# were heading categories, block kinds other than list item, goal block, commitment section, position in the
# document, year and quote cues, per-label C and unweighted classes (see models/MODEL_CARD.md).


def load_examples(annotations: Path, dev_dir: Path, shared: Path | None = None
                  ) -> tuple[list[ClauseInput], list[str], list[list[str]], list[str]]:
    """Inputs, kinds, themes and document names (``set/file``) of the annotations that still match a
    clause. Seeds are bundled; dev documents are read from ``dev_dir``, train documents from
    ``shared/corpus/train``."""
    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for line in annotations.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            by_doc[(record["set"], record["doc"])].append(record)
    folders = {"seeds": ROOT / "corpus" / "seeds", "dev": dev_dir,
               "train": (shared or dev_dir.parents[1]) / "corpus" / "train"}
    # the cues are taken where extraction hands them to the models (keyword themes and the clause's
    # place: block kind, goal block, commitment section, first/last fifth), so training sees exactly
    # what prediction will
    given: dict[tuple[int, int], tuple[str, ...]] = {}

    def capture(clauses, cues) -> None:
        given.update({(c.span.start, c.span.end): cue for c, cue in zip(clauses, cues, strict=True)})

    clause_module._apply_models = capture
    inputs, kinds, themes, groups = [], [], [], []
    skipped = 0
    for (set_name, doc), records in sorted(by_doc.items()):
        if set_name not in folders:
            print(f"{annotations}: unknown set {set_name!r} for {doc}: {len(records)} annotations skipped",
                  file=sys.stderr)
            skipped += len(records)
            continue
        path = folders[set_name] / doc
        if not path.exists():
            print(f"missing document {path}: {len(records)} annotations skipped", file=sys.stderr)
            skipped += len(records)
            continue
        given.clear()
        clauses = {(c.span.start, c.span.end): c for c in extract_document(path).clauses}
        for record in records:
            clause = clauses.get((record["start"], record["end"]))
            if clause is None or hashlib.sha1(clause.text.encode("utf-8")).hexdigest() != record["sha1"]:
                print(f"{doc} {record['start']}-{record['end']}: segmentation changed, skipped", file=sys.stderr)
                skipped += 1
                continue
            inputs.append(ClauseInput(clause.text, clause.section, clause.kind.value,
                                     given[(clause.span.start, clause.span.end)]))
            kinds.append(record["kind"])
            themes.append(sorted(record["themes"]))
            groups.append(f"{set_name}/{doc}")
    if skipped:
        print(f"{skipped} annotations skipped", file=sys.stderr)
    return inputs, kinds, themes, groups


def county_groups(documents: list[str], shared: Path) -> list[str]:
    """The county code of each ``set/file`` document, from its gold file in ``shared/gold`` (a document
    without one is its own group): cross-validation by county keeps a county's shared wording out of
    training when its documents are tested."""
    county = {f"{d.set}/{d.name}": d.county for d in annotated_documents(shared=shared)}
    codes = [county.get(doc, "none") for doc in documents]
    return [doc if code == "none" else f"county {code}" for doc, code in zip(documents, codes, strict=True)]


def final_kinds(inputs: list[ClauseInput], predicted: list[str]) -> list[str]:
    """What extraction outputs: its own goal/commitment decision, else the model's kind."""
    return [i.rule_kind if i.rule_kind in DECIDED else p for i, p in zip(inputs, predicted, strict=True)]


def prf(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    precision = tp / max(sum(pred), 1)
    recall = tp / max(sum(gold), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": sum(gold)}


def cross_validate(inputs, kinds, themes, groups, folds: int, kind_params: dict | None = None,
                   theme_params: dict | None = None, sets: list[str] | None = None) -> dict:
    """Out-of-fold kind and theme scores; ``sets`` (the document set of each clause) adds the scores
    of each set, so that a set added to the annotations is compared on the same clauses as before."""
    from collections import Counter

    from sklearn.model_selection import GroupKFold

    kind_pred: list[str | None] = [None] * len(inputs)
    theme_pred: list[list[str]] = [[] for _ in inputs]
    for train, test in GroupKFold(n_splits=folds).split(inputs, groups=groups):
        tr = [inputs[i] for i in train]
        te = [inputs[i] for i in test]
        kind_model = ClauseClassifier(**(kind_params or KIND_PARAMS)).fit(tr, [kinds[i] for i in train])
        theme_model = ClauseClassifier(multilabel=True, **(theme_params or THEME_PARAMS)).fit(
            tr, [themes[i] for i in train])
        for i, k, t in zip(test, kind_model.predict(te), theme_model.predict(te), strict=True):
            kind_pred[i], theme_pred[i] = k, t
    final = final_kinds(inputs, kind_pred)
    rules = [i.rule_kind for i in inputs]
    kind_labels = sorted(set(kinds))
    theme_labels = sorted({t for ts in themes for t in ts})
    per_theme = {t: prf([t in g for g in themes], [t in p for p in theme_pred]) for t in theme_labels}
    rule_themes = _rule_themes(inputs)
    confusions = Counter(f"{k} -> {f}" for k, f in zip(kinds, final, strict=True) if k != f)
    by_set = {}
    for name in sorted(set(sets or [])):
        idx = [i for i, s in enumerate(sets) if s == name]
        set_themes = sorted({t for i in idx for t in themes[i]})
        by_set[name] = {
            "clauses": len(idx),
            "kind_accuracy": round(float(np.mean([final[i] == kinds[i] for i in idx])), 3),
            "kind_accuracy_model_only": round(float(np.mean([kind_pred[i] == kinds[i] for i in idx])), 3),
            "kind_accuracy_rules": round(float(np.mean([rules[i] == kinds[i] for i in idx])), 3),
            "themes_macro_f1": round(float(np.mean([prf([t in themes[i] for i in idx],
                                                        [t in theme_pred[i] for i in idx])["f1"]
                                                    for t in set_themes])), 3) if set_themes else None,
        }
    return {
        "by_set": by_set,
        "kind_confusions": dict(confusions.most_common(12)),
        "folds": folds,
        "clauses": len(inputs),
        "groups": len(set(groups)),
        "kind_accuracy": round(float(np.mean([f == k for f, k in zip(final, kinds, strict=True)])), 3),
        "kind_accuracy_model_only": round(float(np.mean([p == k for p, k in zip(kind_pred, kinds, strict=True)])), 3),
        "kind_accuracy_rules": round(float(np.mean([r == k for r, k in zip(rules, kinds, strict=True)])), 3),
        "kind_per_label": {k: prf([g == k for g in kinds], [f == k for f in final]) for k in kind_labels},
        "themes_macro_f1": round(float(np.mean([m["f1"] for m in per_theme.values()])), 3),
        "themes_macro_f1_rules": round(float(np.mean(
            [prf([t in g for g in themes], [t in r for r in rule_themes])["f1"] for t in theme_labels])), 3),
        "themes_per_label": per_theme,
    }


def learning_curve(inputs, kinds, groups, folds: int, fractions=(0.25, 0.5, 0.75, 1.0),
                   repeats: int = 3) -> list[dict]:
    """Kind accuracy (as extraction outputs it) when each training fold keeps only a random share
    of its documents: how much more annotated text would buy (see models/MODEL_CARD.md)."""
    import random

    from sklearn.model_selection import GroupKFold

    curve = []
    for fraction in fractions:
        accuracies, sizes = [], []
        for seed in range(repeats if fraction < 1 else 1):
            rng = random.Random(seed)
            predicted: list[str | None] = [None] * len(inputs)
            for train, test in GroupKFold(n_splits=folds).split(inputs, groups=groups):
                documents = sorted({groups[i] for i in train})
                kept = set(rng.sample(documents, max(2, round(len(documents) * fraction))))
                train = [i for i in train if groups[i] in kept]
                sizes.append(len(train))
                model = ClauseClassifier(**KIND_PARAMS).fit([inputs[i] for i in train], [kinds[i] for i in train])
                for i, kind in zip(test, model.predict([inputs[i] for i in test]), strict=True):
                    predicted[i] = kind
            final = final_kinds(inputs, predicted)
            accuracies.append(float(np.mean([f == k for f, k in zip(final, kinds, strict=True)])))
        curve.append({"fraction": fraction, "training_clauses": round(float(np.mean(sizes))),
                      "kind_accuracy": round(float(np.mean(accuracies)), 3),
                      "runs": [round(a, 3) for a in accuracies]})
    return curve


def _rule_themes(inputs: list[ClauseInput]) -> list[list[str]]:
    return [[c.removeprefix("theme:") for c in i.cues if c.startswith("theme:")] for i in inputs]


def train_deciders(shared: Path, out: Path) -> None:
    """Fit the four deciders on every annotated document and save them to ``out``."""
    documents = annotated_documents(shared=shared)
    if not documents:
        print(f"no annotated documents under {shared}/gold: deciders not rebuilt", file=sys.stderr)
        return
    fitted = fit_deciders(prepare(documents))
    trained_on = {"documents": len(documents), "rule_features_from": list(RULE_BLIND_SETS)}
    deciders_module.save_decider(fitted.party, out / deciders_module.PARTY_MODEL_FILE,
                                 threshold=PARTY_THRESHOLD, keep_rules=KEEP_RULES, trained_on=trained_on)
    deciders_module.save_decider(fitted.sentence, out / deciders_module.SENTENCE_MODEL_FILE,
                                 threshold=fitted.sentence_threshold, goal_threshold=fitted.goal_threshold,
                                 everywhere=list(fitted.sentence_everywhere),
                                 trained_on=trained_on)
    deciders_module.save_decider(fitted.doc_type, out / deciders_module.DOC_TYPE_MODEL_FILE,
                                 threshold=fitted.doc_type_threshold, override=fitted.doc_type_override,
                                 trained_on=trained_on)
    deciders_module.save_decider(fitted.period, out / deciders_module.PERIOD_MODEL_FILE,
                                 threshold=fitted.period_threshold, trained_on=trained_on)
    deciders_module.clear_cache()
    print(f"deciders fitted on {len(documents)} annotated documents")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotations", type=Path, default=ROOT / "corpus" / "annotations" / "clauses.jsonl")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--dev-dir", type=Path, help="the development corpus (default: SHARED/corpus/dev)")
    parser.add_argument("--skip-deciders", action="store_true", help="keep the deciders in --out as they are")
    parser.add_argument("--out", type=Path, default=ROOT / "models")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-cv", action="store_true", help="only fit and save the models")
    parser.add_argument("--metrics", type=Path, help="write the cross-validated scores here as JSON")
    parser.add_argument("--learning-curve", action="store_true",
                        help="also cross-validate the kind model on 25/50/75/100 %% of the training documents")
    parser.add_argument("--group", choices=["document", "county"], default="document",
                        help="cross-validation unit: no clause of a test document (county) is in training")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["ROK_MODELS_DIR"] = str(args.out)
    if not args.skip_deciders:
        train_deciders(args.shared, args.out)

    inputs, kinds, themes, documents = load_examples(args.annotations, args.dev_dir or args.shared / "corpus" / "dev",
                                                     args.shared)
    print(f"{len(inputs)} annotated clauses from {len(set(documents))} documents")
    if not args.no_cv:
        groups = county_groups(documents, args.shared) if args.group == "county" else documents
        folds = min(args.folds, len(set(groups)))
        metrics = cross_validate(inputs, kinds, themes, groups, folds, sets=[d.split("/", 1)[0] for d in documents])
        metrics |= {"documents": len(set(documents)), "group": args.group}
        if args.learning_curve:
            metrics["kind_learning_curve"] = learning_curve(inputs, kinds, groups, folds)
        print(json.dumps(metrics, indent=1))
        if args.metrics:
            args.metrics.write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    ClauseClassifier(**KIND_PARAMS).fit(inputs, kinds).save(args.out / KIND_FILE)
    ClauseClassifier(multilabel=True, **THEME_PARAMS).fit(inputs, themes).save(args.out / THEMES_FILE)
    sizes = ", ".join(f"{name} {(args.out / name).stat().st_size // 1024} KiB" for name in (KIND_FILE, THEMES_FILE))
    print(f"saved {sizes}")


if __name__ == "__main__":
    main()
