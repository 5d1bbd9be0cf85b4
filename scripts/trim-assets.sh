#!/bin/sh
# Rebuild the trimmed front-end files committed under static/vendor/ (run after a template
# starts using a Bootstrap class or a character the font subset lacks; tests/test_assets.py
# says when). Needs node/npm and network access to the npm registry once; nothing is served
# from a CDN.
#   - Bootstrap CSS (LTR and RTL) with only the rules the templates, Python and JS use
#     (PurgeCSS, settings in scripts/purgecss.config.cjs), plus the list of every class the
#     full build defines, for the test that catches a class used but trimmed away.
#   - Vazirmatn, the variable font, cut to Persian + Latin (fonttools' pyftsubset).
set -eu
BOOTSTRAP=5.3.9
VAZIRMATN=33.0.3
PURGECSS=6.0.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm init -y >/dev/null &&
	npm install --silent --no-audit --no-fund \
		"bootstrap@$BOOTSTRAP" "vazirmatn@$VAZIRMATN" "purgecss@$PURGECSS")

cd "$ROOT"
OUT=static/vendor/bootstrap
mkdir "$WORK/out"
for name in bootstrap.min.css bootstrap.rtl.min.css; do
	cp "$WORK/node_modules/bootstrap/dist/css/$name" "$WORK/$name"
	"$WORK/node_modules/.bin/purgecss" --config scripts/purgecss.config.cjs \
		--css "$WORK/$name" --output "$WORK/out"
	# Drop the source-map comment: the map is not vendored.
	sed -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$WORK/out/$name" >"$OUT/$name"
done
# Every class both full builds define (sorted, one a line).
for name in bootstrap.css bootstrap.rtl.css; do
	grep -o '\.[a-zA-Z][a-zA-Z0-9_-]*' "$WORK/node_modules/bootstrap/dist/css/$name" |
		cut -c2- | sort -u >"$WORK/$name.classes"
done
comm -12 "$WORK/bootstrap.css.classes" "$WORK/bootstrap.rtl.css.classes" >scripts/bootstrap-classes.txt

# Persian (Arabic block, Arabic presentation forms for pasted text, ZWNJ and directional
# marks), Latin (Basic Latin and Latin-1), general punctuation, Persian and Arabic digits, the
# rial sign. Every OpenType feature is kept, so joining and ligatures still work.
"$PYTHON" -m fontTools.subset "$WORK/node_modules/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2" \
	--unicodes="U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+0600-06FF,U+0750-077F,U+200C-200F,U+2010-2027,U+2030-203A,U+2044,U+20AC,U+2122,U+2212,U+FB50-FDFF,U+FE70-FEFF,U+FFFD" \
	--layout-features='*' --flavor=woff2 \
	--output-file=static/vendor/vazirmatn/Vazirmatn-wght.woff2
ls -l "$OUT"/*.css static/vendor/vazirmatn/*.woff2
