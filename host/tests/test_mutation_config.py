"""`nox -s mutation` is too slow for CI; this checks its configuration stays consistent
(every security module mutated, every listed file present, every equivalent mutant named
in a mutated module), so the session still runs when someone needs it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "mutation.py"


def test_mutation_config_is_consistent() -> None:
    spec = importlib.util.spec_from_file_location("mutation_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.check() == []
