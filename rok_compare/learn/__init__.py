"""Learning from the annotated documents: load them, label candidates, fit and score the models.

Used by ``scripts/train.py`` (fit the shipped models) and ``scripts/evaluate.py`` (leave-one-county-
out cross-validation); extraction itself never imports this package.
"""
