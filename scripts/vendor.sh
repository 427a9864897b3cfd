#!/usr/bin/env bash
# Vendor the front-end files Zhizao serves itself (no CDN): today only htmx.
#
#   scripts/vendor.sh            fetch htmx.org@$HTMX_VERSION with `npm pack`, copy
#                                dist/htmx.min.js and its licence into
#                                src/zhizao/static/vendor/htmx/<version>/, write MANIFEST.tsv
#   scripts/vendor.sh --check    no network: verify the vendored files against MANIFEST.tsv
#
# Needs npm (build time only; nothing of Node runs in production). The version is pinned here so
# that a re-run gives byte-identical files; bump it on purpose, then update the <script> path in
# src/zhizao/templates/base.html. `npm pack` checks the tarball against the registry's integrity
# hash; we record the sha256 of every file we copy.
set -euo pipefail
cd "$(dirname "$0")/.."

HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
VENDOR_DIR="src/zhizao/static/vendor"
MANIFEST="$VENDOR_DIR/MANIFEST.tsv"

check() {
  local status=0 name version source file sha licence
  [ -f "$MANIFEST" ] || { echo "vendor: $MANIFEST missing" >&2; return 1; }
  while IFS=$'\t' read -r name version source file sha licence; do
    [ "$name" = "name" ] && continue
    [ -n "$name" ] || continue
    if [ ! -f "$VENDOR_DIR/$file" ]; then
      echo "vendor: missing $VENDOR_DIR/$file" >&2; status=1; continue
    fi
    local actual
    actual=$(sha256sum "$VENDOR_DIR/$file" | cut -d' ' -f1)
    if [ "$actual" != "$sha" ]; then
      echo "vendor: sha256 mismatch for $file ($actual != $sha)" >&2; status=1
    else
      echo "vendor: ok $file"
    fi
  done < "$MANIFEST"
  return $status
}

if [ "${1:-}" = "--check" ]; then
  check
  exit $?
fi

command -v npm >/dev/null || { echo "vendor: npm is needed to fetch packages (apt-get install npm)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- htmx ---------------------------------------------------------------------------------
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null)
tarball=$(cd "$tmp" && ls htmx.org-*.tgz)
mkdir "$tmp/x"
tar -xzf "$tmp/$tarball" -C "$tmp/x"
pkg="$tmp/x/package"

got_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n1)
[ "$got_version" = "$HTMX_VERSION" ] || { echo "vendor: expected $HTMX_VERSION, got $got_version" >&2; exit 1; }
licence=$(sed -n 's/^ *"license": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n1)
licence_file=""
for f in LICENSE LICENSE.md LICENSE.txt LICENCE license; do
  if [ -f "$pkg/$f" ]; then licence_file=$f; break; fi
done
[ -n "$licence_file" ] || { echo "vendor: no licence file in $tarball" >&2; exit 1; }
[ -f "$pkg/dist/htmx.min.js" ] || { echo "vendor: dist/htmx.min.js missing in $tarball" >&2; exit 1; }

dest="$VENDOR_DIR/htmx/$HTMX_VERSION"
# Older vendored versions are removed so that only the one base.html points at is served.
if [ -d "$VENDOR_DIR/htmx" ]; then
  find "$VENDOR_DIR/htmx" -mindepth 1 -maxdepth 1 -type d ! -name "$HTMX_VERSION" -exec rm -rf {} +
fi
mkdir -p "$dest"
install -m 0644 "$pkg/dist/htmx.min.js" "$dest/htmx.min.js"
install -m 0644 "$pkg/$licence_file" "$dest/LICENSE"

# --- manifest -----------------------------------------------------------------------------
{
  printf 'name\tversion\tsource\tfile\tsha256\tlicence\n'
  for f in htmx.min.js LICENSE; do
    sha=$(sha256sum "$dest/$f" | cut -d' ' -f1)
    printf 'htmx.org\t%s\t%s\t%s\t%s\t%s\n' "$HTMX_VERSION" "$tarball" "htmx/$HTMX_VERSION/$f" "$sha" "$licence"
  done
} > "$MANIFEST"

echo "vendor: htmx.org $HTMX_VERSION ($licence) -> $dest"
check
