#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs the test suite in the project's virtual
# environment.
#
#   bash scripts/test.sh                 the whole suite (the gate CI runs)
#   bash scripts/test.sh --fast          the everyday tier: everything not marked slow
#   bash scripts/test.sh --oldest --python python3.10
#                                        the suite against the oldest dependencies
#                                        allowed, in .venv-oldest
#   bash scripts/test.sh -- -k emit -x   anything after -- goes to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

setup=()
venv=.venv
pytest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --fast) pytest_args+=(-m "not slow"); shift ;;
        --oldest) setup+=(--oldest); venv=.venv-oldest; shift ;;
        --python) setup+=(--python "$2"); shift 2 ;;
        --) shift; pytest_args+=("$@"); break ;;
        *) pytest_args+=("$1"); shift ;;
    esac
done

bash scripts/setup.sh "${setup[@]}" --venv "$venv"
"$venv/bin/python" -m pip list --format=freeze --disable-pip-version-check 2>/dev/null \
    | grep -iE '^(pyyaml|networkx|diagrams|cfn-lint|aws-sam-translator|tomli|pytest|hypothesis|jsonschema|moto)==' \
    | tr '\n' ' ' | sed 's/^/test: dependencies: /; s/ $/\n/'
echo "test: $("$venv/bin/python" --version)"
"$venv/bin/python" -m pytest -q "${pytest_args[@]}"
