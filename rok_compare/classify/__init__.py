"""Trained clause classifiers for kind and themes, stored as plain JSON under ``models/``.

Features survive Swedish compounds: character n-grams within words (like scikit-learn's
``char_wb``), hashed with numpy into a fixed number of buckets so that a whole document is
vectorised in a few array passes; Snowball stems of the words (one ``stemWords`` call per
document), optionally stems of the section heading (once per distinct heading; the shipped models
leave them out) and the rule cues: the kind
extraction gave the clause (its goal/commitment decision, else the cue-word kind), the keyword
themes and a few shape cues. Each block is TF-IDF weighted (raw tf, smooth idf) and normalised by
the square root of the summed squared idf of its occurrences (as if every occurrence were its own
feature), so that prediction needs no duplicate summing: per block one sparse product of a 0/1
occurrence matrix with the idf-scaled coefficients. The linear model's coefficients are stored
next to the vocabulary; prediction needs only numpy/scipy. scikit-learn is imported only by
:meth:`ClauseClassifier.fit`.
"""

from rok_compare.classify.classifier import ClauseClassifier
from rok_compare.classify.features import (
    FORMAT,
    KIND_FILE,
    MODELS_DIR,
    THEMES_FILE,
    ClauseInput,
    Columns,
    as_inputs,
)
from rok_compare.classify.shipped import ClauseModels, clear_cache, default_models, models_dir

__all__ = [
    "FORMAT", "KIND_FILE", "MODELS_DIR", "THEMES_FILE", "ClauseClassifier", "ClauseInput", "ClauseModels",
    "Columns", "as_inputs", "clear_cache", "default_models", "models_dir",
]
