#!/usr/bin/env bash
# Installs everything archlint and its tests need on a fresh machine of this kind:
# Graphviz's `dot` (Debian package) where it is missing, then archlint itself in
# editable mode with its test extras. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dot >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null
    else
        echo "setup: Graphviz's 'dot' is missing; install the 'graphviz' package" >&2
        exit 2
    fi
fi

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'
