#!/bin/sh
# Assets are committed so the site needs no Node and no build step at run time; re-run after `npm ci` to refresh.
set -eu
cd "$(dirname "$0")"
NM=../../node_modules
[ -d "$NM" ] || { echo "run 'npm ci' in the project root first" >&2; exit 1; }

mkdir -p bootstrap/css htmx axe-core chartjs

cp "$NM/bootstrap/dist/css/bootstrap.min.css"     bootstrap/css/
cp "$NM/bootstrap/LICENSE"                         bootstrap/
cp "$NM/htmx.org/dist/htmx.min.js"                 htmx/
cp "$NM/htmx.org/LICENSE"                          htmx/
cp "$NM/axe-core/axe.min.js"                       axe-core/
cp "$NM/axe-core/LICENSE"                          axe-core/
cp "$NM/axe-core/LICENSE-3RD-PARTY.txt"            axe-core/
cp "$NM/chart.js/dist/chart.umd.min.js"            chartjs/
cp "$NM/chart.js/LICENSE.md"                       chartjs/

# The .map files are not vendored, and whitenoise's CompressedManifestStaticFilesStorage
# fails collectstatic on a sourceMappingURL pointing at a missing file: strip those lines.
for f in bootstrap/css/bootstrap.min.css htmx/htmx.min.js axe-core/axe.min.js chartjs/chart.umd.min.js; do
  sed -i.bak -e '/^\/\*# sourceMappingURL=.*\*\/$/d' -e '/^\/\/# sourceMappingURL=/d' "$f"
  rm -f "$f.bak"
done

for p in bootstrap htmx.org axe-core chart.js; do
  printf '%s %s\n' "$p" "$(node -p "require('$NM/$p/package.json').version" 2>/dev/null || echo '?')"
done > VERSIONS
cat VERSIONS
