"""The suite's two tiers. `scripts/test.sh --fast` (pytest -m "not slow") is the
everyday tier; the whole suite is the gate CI runs. What is slow is listed here, in one
place, with the reason, rather than spread over the modules."""

from __future__ import annotations

import pytest

# Test modules (paths under tests/) that are slow as a whole, and why.
SLOW_MODULES = {
    "test_packaging.py": "builds wheels from a clean copy",
    "test_plugins.py": "builds a virtual environment and installs the example plugin",
    "ci/test_precommit.py": "runs the real pre-commit in git repositories",
    "test_properties.py": "hypothesis searches",
    "test_cli.py": "the command line as real processes",
    "test_lazy_imports.py": "a fresh interpreter per input kind",
    "emit/test_cfn_lint.py": "cfn-lint over every emitted example",
    "render/test_html.py": "opens the pages in headless Chromium",
    "render/test_mermaid_parses.py": "Mermaid's parser in Node.js, once per example",
    "diff/test_pictures.py": "Graphviz draws a change in every picture format",
    "diff/test_docs.py": "runs the CI recipes in git repositories, pictures and Mermaid's parser included",
}
# Single slow tests (module path :: test name, parameters left out).
SLOW_TESTS = {
    "cfn/test_robustness.py::test_any_template_imports_or_says_why": "hypothesis search",
    "cfn/test_cli.py::test_every_corpus_template_checks_renders_and_imports": "renders every corpus template",
    "rules/test_loops.py::test_loop001_stays_fast_on_100k_resources": "a 100k-resource spec",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.nodeid.split("::", 1)[0].removeprefix("tests/")
        test = f"{module}::{item.originalname}"
        if module in SLOW_MODULES or test in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
