"""Console views declared in a manifest (issue 16: "the views extensions provide
through their query operations"): the daemon guide's example is the Finance
extension's own declaration, and a view must name a method the plugin provides.
Drawing one in a browser is test_console_browser's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from spacedrive_host import ManifestError
from spacedrive_host.manifest import parse_manifest

ROOT = Path(__file__).resolve().parents[2]
FINANCE = json.loads((ROOT / "finance-extension" / "manifest.json").read_text())


def test_the_guides_example_is_the_finance_manifests() -> None:
    guide = (ROOT / "docs" / "guides" / "daemon.md").read_text()
    section = guide.split("### Declaring a view\n", 1)[1]
    (example,) = re.findall(r"```json\n(.*?)```", section.split("\n## ", 1)[0], re.S)
    assert json.loads("{" + example + "}")["views"] == FINANCE["views"]
    assert parse_manifest(FINANCE).views[0].chart is not None


def _with_view(**view: Any) -> dict[str, Any]:
    base = {"name": "v", "title": "V", "method": "totals"}
    return {**FINANCE, "views": [{**base, **view}]}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (_with_view(method="nothing"), "uses 'nothing', which is not under `provides`"),
        ({**FINANCE, "views": [FINANCE["views"][0], FINANCE["views"][0]]}, "views named twice"),
        (_with_view(chart={"title": "c", "rows": "r", "label": [], "value": "x"}), "views.0.chart.label"),
        (_with_view(colour="red"), "views.0.colour"),
    ],
)
def test_a_bad_view_is_a_manifest_error(manifest: dict[str, Any], message: str) -> None:
    with pytest.raises(ManifestError, match=re.escape(message)):
        parse_manifest(manifest)
