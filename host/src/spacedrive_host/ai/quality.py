"""Measures of quality the evaluation and the tests share."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["calibration_error", "char_accuracy", "macro_f1"]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def char_accuracy(truth: str, found: str) -> float:
    """1 - (Levenshtein distance / length of the truth), whitespace runs as one space; >= 0."""
    a, b = _normalise(truth), _normalise(found)
    if not a:
        return 1.0 if not b else 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return max(0.0, 1.0 - previous[-1] / len(a))


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """The unweighted mean of each true label's F1."""
    labels = sorted(set(truth))
    scores = []
    for label in labels:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error: how far confidence is from accuracy, weighted over bins."""
    total = len(confidences)
    if not total:
        return 0.0
    error = 0.0
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        idx = [i for i, c in enumerate(confidences) if lo < c <= hi or (k == 0 and c == 0.0)]
        if idx:
            conf = sum(confidences[i] for i in idx) / len(idx)
            acc = sum(correct[i] for i in idx) / len(idx)
            error += len(idx) / total * abs(conf - acc)
    return error
