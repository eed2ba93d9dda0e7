# Rewrite citations of the background notes to the files of docs/reference/.
#   <note>.md            -> docs/reference/<note>.md
#   reference/<note>.md  -> docs/reference/<note>.md
#   DESIGN.md            -> docs/reference/design.md   (as in "DESIGN.md idea 3")
# A name already preceded by a path character ("/", letter, digit, ".", "-", "_") is left alone,
# so docs/reference/... and ./... are untouched and running the script twice changes nothing.
# Apply from the repository root, e.g.
#   git ls-files -z -- harness steps features scenarios tests benchmarks docs README.md \
#     | grep -zv '^docs/reference/rewrite-citations.sed$' | xargs -0 sed -i -f docs/reference/rewrite-citations.sed
s#\(^\|[^/A-Za-z0-9_.-]\)reference/\(amazon-pay-v2\|seller-central\|official-sdks\)\.md#\1docs/reference/\2.md#g
s#\(^\|[^/A-Za-z0-9_.-]\)\(amazon-pay-v2\|seller-central\|official-sdks\)\.md#\1docs/reference/\2.md#g
s#\(^\|[^/A-Za-z0-9_.-]\)\(reference/\)\{0,1\}DESIGN\.md#\1docs/reference/design.md#g
