#!/usr/bin/env bash
# Rebuilds the web client's one vendored script from the npm packages pinned in package.json
# (and package-lock.json). Run by hand when a library is upgraded; Maven never runs it, so
# `mvn verify` needs only Java and Maven. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")"
out=../resources/org/nostrp2p/rest/web/vendor
npm ci --no-audit --no-fund
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=NostrVendor \
  --target=es2020 --legal-comments=eof --outfile="$out/nostr-vendor.js"
{
  echo "nostr-vendor.js bundles these npm packages (versions in package-lock.json beside build.sh):"
  for p in nostr-tools @msgpack/msgpack @noble/curves @noble/hashes @noble/ciphers @scure/base; do
    v=$(node -p "require('./node_modules/$p/package.json').version")
    l=$(node -p "require('./node_modules/$p/package.json').license")
    echo "  $p $v ($l)"
  done
  for p in nostr-tools @msgpack/msgpack @noble/curves @noble/hashes @noble/ciphers @scure/base; do
    echo; echo "==== $p ===="; cat "node_modules/$p/LICENSE"
  done
} > "$out/LICENSES.txt"
echo "wrote $out/nostr-vendor.js and LICENSES.txt"
