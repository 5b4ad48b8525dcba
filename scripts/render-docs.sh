#!/usr/bin/env bash
# Regenerates the diagrams in docs/ from the example spec, with what the rules find
# marked on them:
#   docs/example.png  docs/example.svg  (pictures for the README)
#   docs/example.mmd                    (the same as Mermaid; byte-identical on every run)
#   docs/example.drawio                 (editable in diagrams.net)
#   docs/example.html                   (interactive: open it in a browser, offline)
# Run it after changing the renderer or the example; CI can run it and fail on a
# diff of docs/example.mmd (see docs/rendering.md).
set -euo pipefail
cd "$(dirname "$0")/.."

spec=specs/examples/flawed/ha-eip-failover.yaml
for format in png svg mmd drawio html; do
    archlint render "$spec" -o "docs/example.$format"
done
echo "render-docs: wrote docs/example.png, .svg, .mmd, .drawio and .html from $spec"
