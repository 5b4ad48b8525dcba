#!/usr/bin/env bash
# Sets up everything archlint and its tests need, in a virtual environment of the
# project's own, never the system interpreter:
#   1. the system programs the tests drive: Graphviz (`dot`), Chromium (the HTML
#      diagrams are opened in it) and Node.js with npm (Mermaid's own parser reads the
#      Mermaid archlint writes); installed with apt-get where they are missing and
#      this is root on Debian/Ubuntu, otherwise the command to run is printed;
#   2. the virtual environment (.venv by default) with archlint installed editable
#      with its test extras;
#   3. Mermaid's parser for the tests (tests/mermaid: npm ci of its lock file).
# Safe to run again: it skips what is there.
#
#   bash scripts/setup.sh [--python PYTHON] [--venv DIR] [--oldest]
#
#   --python PYTHON  the interpreter to build the environment from (3.10 or newer;
#                    default: python3)
#   --venv DIR       where the environment lives (default: .venv)
#   --oldest         install the oldest dependency versions pyproject.toml allows
#                    (scripts/oldest-dependencies.txt) instead of the newest
set -euo pipefail
cd "$(dirname "$0")/.."

python=python3
venv=.venv
constraints=()
while [ $# -gt 0 ]; do
    case "$1" in
        --python) python=$2; shift 2 ;;
        --venv) venv=$2; shift 2 ;;
        --oldest) constraints=(--constraint scripts/oldest-dependencies.txt); shift ;;
        *) echo "setup: unknown option $1" >&2; exit 2 ;;
    esac
done

# -- system programs -------------------------------------------------------------------
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing ${missing[*]} (Debian packages)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "setup: these system packages are missing: ${missing[*]}" >&2
        echo "  Debian/Ubuntu: sudo apt-get install ${missing[*]}" >&2
        echo "  macOS:         brew install graphviz node; brew install --cask chromium" >&2
        echo "  then run this script again." >&2
        exit 2
    fi
fi

# -- the virtual environment -------------------------------------------------------------
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "setup: archlint needs Python 3.10 or newer; '$python' is $("$python" --version 2>&1 || echo missing)." >&2
    echo "  name another with --python, e.g. bash scripts/setup.sh --python python3.12" >&2
    exit 2
fi
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }
if [ -x "$venv/bin/python" ] && [ "$(version_of "$venv/bin/python")" != "$(version_of "$python")" ]; then
    echo "setup: $venv is Python $(version_of "$venv/bin/python"), $python is $(version_of "$python"): making it anew"
    rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating the virtual environment $venv ($("$python" --version))"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    "${constraints[@]}" -e '.[test]'

# -- Mermaid's parser, for the tests -----------------------------------------------------------
if [ ! -d tests/mermaid/node_modules/mermaid ]; then
    echo "setup: installing Mermaid's parser for the tests (tests/mermaid, npm ci)"
    (cd tests/mermaid && npm ci --no-audit --no-fund --silent)
fi
echo "setup: archlint $("$venv/bin/archlint" --version | cut -d' ' -f2) is installed in $venv; to use it in this shell: source $venv/bin/activate"
