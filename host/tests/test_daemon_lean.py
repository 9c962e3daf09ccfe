"""The CLI's call through a running daemon imports neither `json` nor `socket`
(issue 16: `spacedrive op call` via the daemon within 3x `python3 -c pass`): its
JSON, from `_json` alone, must read and write exactly what `json` does."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from spacedrive_host.daemon import lean_json

TEXTS = [
    "1",
    ' \n "x" \t',
    "[]",
    "{}",
    '{"a": {"b": [[], {}, [1, 2.5, -0.0, 1e400, -1E-7, 12345678901234567890]]}}',
    '{"é": "\\u00e9\\ud83d\\ude00 \\" \\\\ \\n \\u0001", "n": null, "t": true, "f": false}',
    "[NaN, Infinity, -Infinity]",
]
NOT_JSON = ['{"value": 1', "", "x", "[1,]", "1 2", '"a\nb"', "\ufeff1", "{'a': 1}"]


@pytest.mark.parametrize("text", TEXTS)
def test_reads_and_writes_what_json_does(text: str) -> None:
    value = lean_json.loads(text)
    expected = json.loads(text)
    assert repr(value) == repr(expected)  # repr: NaN != NaN
    assert lean_json.pretty(value) == json.dumps(expected, indent=2, ensure_ascii=False)
    assert lean_json.compact(value) == json.dumps(expected, separators=(",", ":"))


@pytest.mark.parametrize("text", NOT_JSON)
def test_refuses_what_json_refuses_in_its_words(text: str) -> None:
    with pytest.raises(ValueError, match=r".") as lean:
        lean_json.loads(text)
    with pytest.raises(ValueError, match=r".") as real:
        json.loads(text)
    assert str(lean.value) == str(real.value)


def test_the_values_json_cannot_write_are_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        lean_json.pretty({"a": {1, 2}})
    with pytest.raises(TypeError, match="not JSON serializable"):
        lean_json.compact({"a": {1, 2}})
    assert lean_json.pretty(math.inf) == "Infinity"


def test_the_call_path_imports_neither_json_nor_socket() -> None:
    code = "import spacedrive_host.cli.fast, spacedrive_host.daemon.quickcall, spacedrive_host.data_dir"

    def imported(*args: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=True
        )
        return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}

    extra = imported("-c", code) - imported("-c", "pass")
    assert "spacedrive_host.daemon.quickcall" in extra
    assert not {"json", "re", "socket", "enum", "typing", "pathlib", "spacedrive_host.errors"} & extra
