#!/bin/sh
# Seeds the load_bytes corpus with the project's own manifests (testdata/).
set -eu
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/load_bytes
find testdata -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | while read -r f; do
  cp "$f" "fuzz/corpus/load_bytes/$(echo "$f" | tr '/' '_')"
done
echo "seeded $(ls fuzz/corpus/load_bytes | wc -l) files"
