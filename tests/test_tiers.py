"""The slow tier is a list (tests/conftest.py): a renamed or moved test must not
silently drop out of it, or the everyday tier stops being quick."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SLOW_MODULES, SLOW_TESTS

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("module", sorted(SLOW_MODULES))
def test_every_slow_module_exists(module):
    assert (TESTS / module).is_file(), f"tests/conftest.py lists {module}, which is gone"


@pytest.mark.parametrize("entry", sorted(SLOW_TESTS))
def test_every_slow_test_exists(entry):
    module, name = entry.split("::")
    source = (TESTS / module).read_text(encoding="utf-8")
    assert re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE), f"{entry} is listed as slow but not defined"
