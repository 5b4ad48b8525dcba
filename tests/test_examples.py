"""The example specs that ship with archlint (specs/examples/).

Each correct example must lint clean under every rule; each flawed twin in
specs/examples/flawed/ must produce exactly the findings listed in EXPECTED below.
The expectations were worked out by reading the rules' triggers (docs/rules.md) against
each file, not by running the linter: a difference is either a rule bug or an example
bug, and either way worth a look.

The lint tests need the engine and the rules. Until a rule a case expects is
registered, the case checks what the registered rules find and is then reported
as skipped, naming the missing rules, so the table goes green as the rules land.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_runner import run_process

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "specs" / "examples"
FLAWED = EXAMPLES / "flawed"

# The rule catalog users read (generated from the registry; test_rule_docs.py keeps it current).
CATALOG = REPO / "docs" / "rules.md"

# flawed file name -> the exact set of (rule id, resource id) it must produce.
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "sqs-lambda.yaml": {
        ("DLQ001", "orders-queue"),    # polled, no dead_letter
        ("SQS001", "orders-queue"),    # visibility 30 s < function timeout 60 s
        ("DLQ003", "orders-fn"),       # function DLQ, only poll invokers
        ("DLQ005", "payments-queue"),  # payments-queue <-> payments-dlq redrive cycle
        ("DLQ006", "payments-queue"),  # max_receive_count 1
        ("SQS002", "payments-queue"),  # 30 <= 60 < 6 x 30
    },
    "sqs-fifo-lambda.yaml": {
        ("DLQ004", "ledger-queue"),      # FIFO queue, standard DLQ
        ("FAN004", "events-topic"),      # standard topic -> FIFO queue
        ("FAN002", "settlement-topic"),  # FIFO topic -> function
        ("DLQ007", "settle-fn"),         # function DLQ is FIFO
    },
    "sns-lambda.yaml": {
        ("DLQ002", "notify-fn"),
        ("ARCH001", "invoices-topic"),  # ignores FAN002, which cannot fire on a standard topic
    },
    "s3-upload-lambda.yaml": {
        ("LOOP001", "uploads"),       # uploads -> thumbnail-fn -> uploads, filters overlap
        ("DLQ002", "thumbnail-fn"),   # async invoker, no DLQ
        ("FAN003", "uploads"),        # notification to a FIFO queue
        ("FAN005", "uploads"),        # thumbnail-fn and audit-queue notified of the same keys
    },
    "sns-fanout.yaml": {
        ("FAN001", "checkout"),
    },
    "nacl-block-ip.yaml": {
        ("SG001", "alb-sg"),       # deny rule in a security group
        ("NACL001", "edge-acl"),   # deny 200 shadowed by allow 100
        ("NACL004", "edge-acl"),   # two ingress rules numbered 110
        ("NACL002", "app-acl"),    # deny on the ALB targets' subnets only
        ("NACL003", "app-acl"),    # no ephemeral egress for tcp
    },
    "ha-eip-failover.yaml": {
        ("HA001", "web-primary"),  # EIP, standby, but the alarm only pages
        ("EBS001", "web-data"),    # listed by web-standby in us-east-1b
        ("EBS002", "web-data"),    # instance's standby partner in another AZ
        ("EBS002", "db-data"),     # listed by a group spanning two AZs
        ("EBS003", "db"),          # volumes, no terminating hook
    },
    "hpc-cluster.yaml": {
        ("HPC001", "node-a"),      # cluster member on ENA
        ("HPC001", "node-b"),      # cluster member on Intel 82599
        ("HPC004", "node-b"),
        ("HPC002", "efa-fleet"),   # EFA on Windows
        ("HPC006", "efa-fleet"),   # no all-traffic self rule
        ("HPC003", "hpc-pg"),      # members in two AZs
        ("HPC005", "hpc-pg"),      # EFA member in two subnets
        ("XFER001", "import-job"),
    },
}


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


CORRECT_FILES = _yaml_files(EXAMPLES)
FLAWED_FILES = _yaml_files(FLAWED)
ALL_FILES = CORRECT_FILES + FLAWED_FILES


def _ids(paths):
    return [str(path.relative_to(EXAMPLES)) for path in paths]


def _rules_md_ids() -> set[str]:
    text = CATALOG.read_text(encoding="utf-8")
    # Rule ids are the first cell of the catalog's table: "| [DLQ001](#dlq001) | error | ..."
    return set(re.findall(r"^\|\s*\[([A-Z]+[0-9]{3})\]\(#", text, flags=re.MULTILINE))


def _load_spec():
    """The loader, or a skip while it has not landed (any other import error fails)."""
    try:
        from archlint.specs import load_spec
    except ImportError as error:
        if getattr(error, "name", None) == "archlint.specs.loader":
            pytest.skip("waiting on the loader (archlint.specs.loader)")
        raise
    return load_spec


def _lint_findings(path: Path) -> tuple[set[tuple[str, str]], set[str]]:
    """(rule id, resource) of every finding on `path`, and the registered rule ids."""
    load_spec = _load_spec()
    try:
        from archlint.linter.engine import lint
    except ImportError as error:
        if getattr(error, "name", None) == "archlint.linter.engine":
            pytest.skip("waiting on the lint engine (archlint.linter.engine)")
        raise
    from archlint.linter.registry import all_rules

    rules = all_rules()
    findings = lint(load_spec(path), rules)
    return {(finding.rule, finding.resource) for finding in findings}, {rule.id for rule in rules}


# -- the files themselves -----------------------------------------------------------


def test_there_are_examples_and_flawed_twins():
    assert len(CORRECT_FILES) >= 8
    assert {path.name for path in FLAWED_FILES} == {path.name for path in CORRECT_FILES}, (
        "every correct example has a flawed twin of the same name, and vice versa"
    )


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_example_loads(path):
    load_spec = _load_spec()
    graph = load_spec(path)  # a SpecError here names file:line:column
    assert graph.number_of_nodes() > 0
    assert graph.graph.get("description"), f"{path.name} should explain its pattern in `description:`"


def test_readme_lists_every_example():
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for path in CORRECT_FILES:
        assert f"`{path.name}`" in readme, f"{path.name} is missing from specs/examples/README.md"
    for rule_id in sorted({rule for expected in EXPECTED.values() for rule, _ in expected}):
        assert rule_id in readme, f"{rule_id} is missing from specs/examples/README.md"


# -- the expectation table ----------------------------------------------------------


def test_table_covers_every_flawed_file():
    assert set(EXPECTED) == {path.name for path in FLAWED_FILES}


def test_table_covers_every_rule_in_rules_md():
    catalog = _rules_md_ids()
    assert len(catalog) >= 31, f"docs/rules.md parsing found only {sorted(catalog)}"
    covered = {rule for expected in EXPECTED.values() for rule, _ in expected}
    assert catalog - covered == set(), "rules no flawed example triggers"
    # rules beyond the catalog's first edition (FAN005) are fine when registered
    from archlint.linter.registry import all_rules

    registered = {rule.id for rule in all_rules()}
    assert covered - registered == set(), "the table expects rules that do not exist"


# -- linting ------------------------------------------------------------------------


@pytest.mark.parametrize("path", CORRECT_FILES, ids=_ids(CORRECT_FILES))
def test_correct_example_lints_clean(path):
    found, registered = _lint_findings(path)
    assert found == set()
    missing = _rules_md_ids() - registered
    if missing:
        pytest.skip(f"clean under the registered rules; waiting on {', '.join(sorted(missing))}")


@pytest.mark.parametrize("path", FLAWED_FILES, ids=_ids(FLAWED_FILES))
def test_flawed_example_findings(path):
    expected = EXPECTED[path.name]
    found, registered = _lint_findings(path)
    # Findings of rules that have not landed yet cannot appear; check the rest now.
    assert found == {item for item in expected if item[0] in registered}
    missing = {rule for rule, _ in expected} - registered
    if missing:
        pytest.skip(f"partial check passed; waiting on {', '.join(sorted(missing))}")


# -- the same through the command line, as users and CI run it -----------------------


def _archlint_check(*paths: Path) -> tuple[int, dict]:
    process = run_process("check", "--format", "json", *paths, cwd=REPO, timeout=120)
    assert "Traceback" not in process.stderr, process.stderr
    return process.returncode, json.loads(process.stdout)


def test_cli_finds_nothing_in_the_correct_examples():
    status, report = _archlint_check(*CORRECT_FILES)
    assert report["errors"] == []
    assert report["findings"] == []
    assert report["summary"]["files"] == len(CORRECT_FILES)
    assert status == 0


def test_cli_finds_exactly_the_table_in_the_flawed_folder():
    status, report = _archlint_check(FLAWED)
    assert report["errors"] == []
    found = {(Path(f["file"]).name, f["rule"], f["resource"]) for f in report["findings"]}
    expected = {(name, rule, resource) for name, items in EXPECTED.items() for rule, resource in items}
    assert found == expected
    assert len(report["findings"]) == len(expected), "a rule reported a resource twice"
    assert status == 1  # error-severity findings fail the default --fail-on error
