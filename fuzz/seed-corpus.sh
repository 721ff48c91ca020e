#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures and examples. decode_xml reads its first
# byte as the body kind (decode_json too), so their seeds get a prefix byte; decode_xml's run
# through 0..250, so that every Qimen body kind (BODY_KINDS, taken modulo its length) is picked. sign starts from its hand-made inputs in
# regressions/sign/ (`[mode][secret_len] secret query [0xFF body]`). structured reads its input as
# random choices, so it starts from the random bytes in regressions/structured/. hostile reads
# [mode] then filler pieces split at 0xFF; it starts from its hand-made inputs in regressions/hostile/. redact starts from
# every fixture as it is: XML, JSON, form bodies and whole requests (.http), plus its regressions.
# decode_kingdee starts from the 金蝶 fixtures and the wdt replies `qmwire convert kingdee` reads.
set -euo pipefail
cd "$(dirname "$0")"
for t in decode_xml roundtrip_xml decode_json decode_kingdee roundtrip_json lint sign structured redact hostile; do mkdir -p "corpus/$t"; done
cp regressions/sign/* corpus/sign/
cp regressions/structured/* corpus/structured/
cp regressions/hostile/* corpus/hostile/
i=0
while IFS= read -r -d '' f; do
  i=$((i + 1))
  cp "$f" "corpus/lint/seed_$i.xml"
  cp "$f" "corpus/roundtrip_xml/seed_$i.xml"
  { printf "\\x$(printf '%02x' $((i % 251)))"; cat "$f"; } > "corpus/decode_xml/seed_$i.xml"
done < <(find ../tests/fixtures ../examples -name '*.xml' -print0 | sort -z)
while IFS= read -r -d '' f; do
  i=$((i + 1))
  cp "$f" "corpus/lint/seed_$i.json"
  cp "$f" "corpus/roundtrip_json/seed_$i.json"
  { printf "\\x$(printf '%02x' $((i % 6)))"; cat "$f"; } > "corpus/decode_json/seed_$i.json"
done < <(find ../tests/fixtures ../examples \( -name '*.json' -o -name '*.form' \) -print0 | sort -z)
while IFS= read -r -d '' f; do
  i=$((i + 1))
  cp "$f" "corpus/redact/seed_$i.${f##*.}"
done < <(find ../tests/fixtures ../examples \( -name '*.xml' -o -name '*.json' -o -name '*.form' -o -name '*.http' \) -print0 | sort -z)
# decode_kingdee: the 金蝶 fixtures and the wdt replies the converter reads, each with a prefix
# byte that picks one of the four 金蝶 body kinds.
while IFS= read -r -d '' f; do
  i=$((i + 1))
  { printf "\\x$(printf '%02x' $((i % 4)))"; cat "$f"; } > "corpus/decode_kingdee/seed_$i.json"
done < <(find ../tests/fixtures/kingdee ../tests/fixtures/convert ../tests/fixtures/wdt/stockin_order_query_refund -name '*.json' -print0 | sort -z)
if compgen -G 'regressions/redact/*' >/dev/null; then cp regressions/redact/* corpus/redact/; fi
echo "seeded $i inputs per target"
