#!/usr/bin/env bash
# The main job on the bundled example specs: set up, lint, render, emit.
#   - lints the correct examples (they must be clean) and the flawed ones (their
#     findings are shown; that they fail is the point),
#   - renders every example as PNG and SVG into out/diagrams/,
#   - emits a CloudFormation template for every correct example into out/templates/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# the project's own environment, whatever else is on PATH
archlint() { .venv/bin/archlint "$@"; }

examples=(specs/examples/*.yaml)
flawed=(specs/examples/flawed/*.yaml)
mkdir -p out/diagrams out/templates

echo "== lint: correct examples (must be clean)"
archlint check "${examples[@]}"

echo "== lint: flawed examples (each shows the rules it triggers)"
status=0
archlint check specs/examples/flawed || status=$?
if [ "$status" -ne 1 ]; then
    echo "expected the flawed examples to have findings (exit 1), got exit $status" >&2
    exit 1
fi

echo "== render: every example"
for spec in "${examples[@]}" "${flawed[@]}"; do
    name=$(basename "$spec" .yaml)
    case "$spec" in */flawed/*) name="flawed-$name" ;; esac
    archlint render "$spec" -o "out/diagrams/$name.png"
    archlint render "$spec" -o "out/diagrams/$name.svg"
done

echo "== emit: every correct example"
for spec in "${examples[@]}"; do
    archlint emit "$spec" -o "out/templates/$(basename "$spec" .yaml).yaml" 2>/dev/null
done

echo
echo "diagrams:  $(pwd)/out/diagrams/ ($(ls out/diagrams | wc -l) files)"
echo "templates: $(pwd)/out/templates/ ($(ls out/templates | wc -l) files)"
