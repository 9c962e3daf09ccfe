"""The naive pipeline as a yardstick: the corpus must stay hard for it, and readable by it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus import baseline, score


def test_keyword_detection_is_fooled_by_the_look_alikes(mailbox: tuple[Path, list[dict[str, Any]]]) -> None:
    out, truth = mailbox
    result = score.score(truth, baseline.predict(out))
    # Keywords find most receipts (the text is readable) but take many look-alikes for them.
    assert result["detection"]["recall"] > 0.7
    assert result["detection"]["precision"] < 0.85
    assert result["detection"]["f1"] < 0.9
    # Regexes and the From name get some fields right, far from the goal of 80% all three.
    assert 0.1 < result["by_kind"]["email"]["all_three"] < 0.7
    assert result["by_split"]["unseen"]["all_three"] < result["by_split"]["seen"]["all_three"]
