"""Text classification: the built-in label sets measured on their held-apart test
splits, zero-shot labels on a real sentence encoder, the model cache, the wire."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacedrive_host import Host
from spacedrive_host.ai import classify
from spacedrive_host.ai.classify import LABEL_SETS, Classifier, load_split
from spacedrive_host.ai.quality import calibration_error, macro_f1
from spacedrive_host.errors import InvalidInput

# Floors a broken pipeline cannot meet (chance is 10% and 50%); measured figures are in docs.
FLOORS = {"finance.category": (0.70, 0.68), "finance.receipt": (0.95, 0.95)}


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    return Classifier(tmp_path_factory.mktemp("models"))


def test_the_shipped_data_is_what_its_generator_writes_and_passes_its_checks() -> None:
    """tools/datasets: deterministic output, train and test disjoint in vendors, templates, texts."""
    import subprocess
    import sys

    check = Path(__file__).resolve().parents[2] / "tools" / "datasets" / "check_dataset.py"
    done = subprocess.run(
        [sys.executable, str(check), "--regen"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "all checks passed" in done.stdout


def test_train_and_test_splits_share_no_text() -> None:
    for label_set in LABEL_SETS:
        train, _ = load_split(label_set, "train")
        test, labels = load_split(label_set, "test")
        assert not set(train) & set(test), label_set
        assert set(labels) == set(LABEL_SETS[label_set])


@pytest.mark.parametrize("label_set", sorted(LABEL_SETS))
def test_built_in_sets_meet_their_floors_on_the_held_apart_split(
    classifier: Classifier, label_set: str
) -> None:
    texts, truth = load_split(label_set, "test")
    found = classifier.classify(texts, label_set=label_set)
    predicted = [p.label for p in found]
    accuracy = sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(truth)
    min_accuracy, min_f1 = FLOORS[label_set]
    assert accuracy >= min_accuracy
    assert macro_f1(truth, predicted) >= min_f1
    correct = [p == t for p, t in zip(predicted, truth, strict=True)]
    assert calibration_error([p.confidence for p in found], correct) <= 0.12, "confidences are calibrated"
    for p in found[:20]:
        assert abs(sum(s for _, s in p.scores) - 1.0) < 1e-6
        assert p.scores[0] == (p.label, p.confidence)
        assert {label for label, _ in p.scores} == set(LABEL_SETS[label_set])


def test_obvious_receipts_and_look_alikes(classifier: Classifier) -> None:
    texts = [
        "Your receipt from Blue Bottle Coffee\nOrder #4411\nLatte 4.50\nTotal charged $4.50 to Visa 4242",
        "Your package has shipped! Track your order #4411. Estimated delivery Friday.",
    ]
    first, second = classifier.classify(texts, label_set="finance.receipt")
    assert first.label == "receipt"
    assert second.label == "not_receipt"


def test_zero_shot_labels_on_the_sentence_encoder(classifier: Classifier) -> None:
    labels = ["sports", "cooking", "personal finance"]
    texts = [
        "The striker scored twice in the second half and the team won the league.",
        "Whisk the eggs with sugar, fold in the flour and bake for 25 minutes.",
        "I moved my savings into an index fund and paid off the credit card.",
    ]
    found = classifier.classify(texts, labels=labels)
    assert [p.label for p in found] == labels
    for p in found:
        assert abs(sum(s for _, s in p.scores) - 1.0) < 1e-5
        assert p.confidence > 1 / len(labels)
    assert classifier.model_name(None) == "zero-shot/all-MiniLM-L6-v2"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "exactly one"),
        ({"label_set": "finance.receipt", "labels": ["a", "b"]}, "exactly one"),
        ({"label_set": "no.such.set"}, "unknown label set"),
        ({"labels": ["same", "same"]}, "two different labels"),
    ],
)
def test_bad_requests_are_invalid_input(
    classifier: Classifier, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(InvalidInput, match=match):
        classifier.classify(["text"], **kwargs)  # type: ignore[arg-type]


def test_a_trained_model_is_reused_from_the_cache_and_a_damaged_one_retrained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Classifier(tmp_path).classify(["Uber trip 12.40"], label_set="finance.receipt")
    (cached,) = tmp_path.glob("finance.receipt-*.pickle")

    def no_training(label_set: str) -> None:
        raise AssertionError("trained again although a cached model exists")

    monkeypatch.setattr(classify, "train", no_training)
    assert Classifier(tmp_path).classify(["Lyft ride"], label_set="finance.receipt")
    monkeypatch.undo()
    cached.write_bytes(b"not a pickle")
    assert Classifier(tmp_path).classify(["Lyft ride"], label_set="finance.receipt")
    assert cached.read_bytes() != b"not a pickle", "the damaged model was replaced"


def test_ai_classify_text_through_the_wire(host: Host) -> None:
    out = host.execute(
        "query:ai.classify_text.v1",
        {
            "texts": ["Uber Technologies - trip 5 March - UberX 12.4 km $18.20"],
            "label_set": "finance.category",
        },
    ).data()
    assert out["model"] == "finance.category/tfidf-linear-svm"
    (result,) = out["results"]
    assert result["label"] == "Transportation"
    assert len(result["scores"]) == len(LABEL_SETS["finance.category"])
    with pytest.raises(InvalidInput):
        host.execute("query:ai.classify_text.v1", {"texts": [], "label_set": "finance.category"})
    with pytest.raises(InvalidInput):
        host.execute("query:ai.classify_text.v1", {"texts": ["x" * 20_001], "label_set": "finance.category"})
