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
    "emit/test_generated.py": "emits, lints and deploys generated specs of 50 and 400 resources",
    "emit/test_deploy.py": "deploys every example into moto's CloudFormation",
    "hostile/test_input_files.py": "pipes, devices and locked folders, each as a process with a timeout",
    "hostile/test_output_files.py": "writes interrupted by signals, each as a process",
    "hostile/test_output_injection.py": "hostile reports read as a CI runner would, as processes",
    "render/test_formats.py": "Graphviz draws every example in every format",
    "render/test_views.py": "a 300-resource picture and its views",
    "diff/test_cli.py": "exit statuses of archlint diff as processes",
    "diff/test_markdown.py": "Mermaid's parser in Node.js on each comment",
    "diff/test_baseline.py": "baseline cycles through git repositories and processes",
    "ci/test_docs.py": "runs the CI recipes as their CI would",
    "hostile/test_tracebacks.py": "each input as a process, a full disk included",
    "hostile/test_problem_limits.py": "thousands of misspelled ids",
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
