"""Text classification, offline: built-in label sets and zero-shot labels.

Built-in sets (``finance.category``, ``finance.receipt``) are linear models:
TF-IDF of words and of character n-grams (which survive OCR noise and unseen
vendor names), a linear SVM, and probabilities calibrated by cross-validation
(Platt scaling), so a confidence of 0.8 is right about 80% of the time;
`nox -s eval` reports the calibration error. They are trained on the labeled
data shipped in ``ai/data/{categories,receipt}/train.jsonl`` the first time a set is used and
kept in the cache directory, keyed by the data's hash and the scikit-learn
version (a damaged or stale cached model is retrained, never trusted).

Caller labels are zero-shot: each text and each label ("This is about
{label}.") is embedded with a sentence encoder and the cosine similarities are
turned into probabilities with a fixed temperature.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, Unavailable
from .encoder import MODEL_NAME, SentenceEncoder

__all__ = ["LABEL_SETS", "Classifier", "Prediction", "load_split"]

#: Every built-in label set and its labels, in a fixed order.
LABEL_SETS: dict[str, tuple[str, ...]] = {
    "finance.category": (
        "Food & Dining",
        "Transportation",
        "Office Supplies",
        "Travel",
        "Entertainment",
        "Utilities",
        "Software & Subscriptions",
        "Shopping",
        "Health",
        "Other",
    ),
    "finance.receipt": ("receipt", "not_receipt"),
}
#: Where each set's labelled data lives under ``ai/data`` (written by tools/datasets).
DATA_FOLDERS = {"finance.category": "categories", "finance.receipt": "receipt"}
#: Similarity -> probability: cosine similarities of MiniLM differ by a few hundredths.
ZERO_SHOT_TEMPERATURE = 0.04
#: Part of the cached models' names: bump it when `_pipeline` changes.
PIPELINE_VERSION = 1
INSTALL_HINT = "pip install 'spacedrive-host[ai]' (scikit-learn)"


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    scores: list[tuple[str, float]]  # best first


def load_split(label_set: str, split: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of a built-in set's ``train`` or ``test`` split."""
    ref = resources.files(__package__).joinpath("data", DATA_FOLDERS[label_set], f"{split}.jsonl")
    texts, labels = [], []
    for line in ref.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append(row["text"])
            labels.append(row["label"])
    return texts, labels


def _pipeline() -> Any:
    try:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC
    except ImportError as e:
        raise Unavailable(f"text classification needs {e.name}; {INSTALL_HINT}") from None
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
        ]
    )
    model = CalibratedClassifierCV(LinearSVC(C=0.5), cv=3, method="sigmoid")
    return Pipeline([("features", features), ("model", model)])


def train(label_set: str) -> Any:
    """A fitted model for a built-in set, from its training split only."""
    texts, labels = load_split(label_set, "train")
    model = _pipeline()
    model.fit(texts, labels)
    return model


def _data_hash(label_set: str) -> str:
    data = resources.files(__package__).joinpath("data", DATA_FOLDERS[label_set], "train.jsonl").read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


class Classifier:
    """Classifies texts. Models load on first use; thread-safe."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._models: dict[str, Any] = {}
        self.encoder = SentenceEncoder(cache_dir)

    def model_name(self, label_set: str | None) -> str:
        if label_set is None:
            return f"zero-shot/{MODEL_NAME}"
        return f"{label_set}/tfidf-linear-svm"

    def _model(self, label_set: str) -> Any:
        with self._lock:
            model = self._models.get(label_set)
            if model is None:
                model = self._models[label_set] = self._cached_or_trained(label_set)
            return model

    def _cached_or_trained(self, label_set: str) -> Any:
        import sklearn

        path = None
        if self._cache_dir is not None:
            key = f"{label_set}-{_data_hash(label_set)}-sklearn{sklearn.__version__}-v{PIPELINE_VERSION}"
            path = self._cache_dir / f"{key}.pickle"
            try:
                # Our own file, written below by this code into the host's data directory.
                model = pickle.loads(path.read_bytes())
                if list(model.classes_):
                    return model
            except Exception:  # missing, damaged, or from another version: retrain
                pass
        model = train(label_set)
        if path is not None:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".tmp{os.getpid()}")
                tmp.write_bytes(pickle.dumps(model))
                tmp.replace(path)
        return model

    def classify(
        self, texts: list[str], *, label_set: str | None = None, labels: list[str] | None = None
    ) -> list[Prediction]:
        """One prediction per text, against a built-in set or the caller's labels."""
        if (label_set is None) == (labels is None):
            raise InvalidInput("give exactly one of `label_set` and `labels`")
        if label_set is not None:
            if label_set not in LABEL_SETS:
                raise InvalidInput(f"unknown label set {label_set!r}; known: {', '.join(LABEL_SETS)}")
            return self._built_in(label_set, texts)
        assert labels is not None
        return self._zero_shot(texts, labels)

    def _built_in(self, label_set: str, texts: list[str]) -> list[Prediction]:
        model = self._model(label_set)
        probs = model.predict_proba(texts)
        classes = [str(c) for c in model.classes_]
        return [_prediction(classes, [float(p) for p in row]) for row in probs]

    def _zero_shot(self, texts: list[str], labels: list[str]) -> list[Prediction]:
        import numpy as np

        if len(labels) < 2 or len(set(labels)) != len(labels):
            raise InvalidInput("`labels` needs at least two different labels")
        vectors = self.encoder.encode([*texts, *(f"This is about {label}." for label in labels)])
        sims = vectors[: len(texts)] @ vectors[len(texts) :].T
        logits = sims / ZERO_SHOT_TEMPERATURE
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return [_prediction(labels, [float(p) for p in row]) for row in probs]


def _prediction(labels: list[str], probs: list[float]) -> Prediction:
    scores = sorted(zip(labels, probs, strict=True), key=lambda s: -s[1])
    return Prediction(label=scores[0][0], confidence=scores[0][1], scores=scores)
