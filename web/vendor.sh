#!/usr/bin/env bash
# Re-vendor the front-end libraries from npm into the Python package (pages must work with no CDN).
# Run after changing package.json: bash web/vendor.sh
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../src/legalgraph/api/static/vendor
mkdir -p "$out/licenses"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$out/"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/"
cp node_modules/@zazuko/yasgui/LICENSE* "$out/licenses/yasgui-LICENSE" 2>/dev/null || true
cp node_modules/cytoscape/LICENSE "$out/licenses/cytoscape-LICENSE"
echo "vendored into $out"
