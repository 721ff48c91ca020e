#!/bin/sh
# Files per second of `qmwire lint DIR` at --jobs 1 and --jobs 2 (issue 16, item 4).
#
# Copies the ok fixtures (tests/fixtures/**/ok_*.xml and ok_*.json: Qimen XML and wdt JSON,
# 86 files averaging 1.4 KB; 81 lint clean, 5 responses are errors without --method) round-robin
# into 5,000 files in a temporary directory, then runs
# `qmwire lint --format json DIR` ROUNDS times at each thread count, interleaved (1, 2, 1, 2,
# ...), and prints the fastest run of each. Usage, from the repository root:
#
#   cargo build --release -p qmwire-cli
#   benches/many_files.sh [path/to/qmwire] [files] [rounds]
set -eu
bin=${1:-target/release/qmwire}
files=${2:-5000}
rounds=${3:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
find tests/fixtures -name 'ok_*.xml' -o -name 'ok_*.json' | sort > "$dir/list"
n=$(wc -l < "$dir/list")
mkdir "$dir/docs"
i=0
while [ "$i" -lt "$files" ]; do
    src=$(sed -n "$((i % n + 1))p" "$dir/list")
    cp "$src" "$dir/docs/$(printf '%05d' "$i").${src##*.}"
    i=$((i + 1))
done
bytes=$(cat "$dir"/docs/* | wc -c)
echo "$files files from $n ok fixtures, $bytes bytes"
best1=999999; best2=999999
r=0
while [ "$r" -lt "$rounds" ]; do
    for j in 1 2; do
        start=$(date +%s%N)
        "$bin" lint --format json --jobs "$j" "$dir/docs" > "$dir/out.$j" || true
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        if [ "$j" = 1 ]; then [ "$ms" -lt "$best1" ] && best1=$ms; else [ "$ms" -lt "$best2" ] && best2=$ms; fi
    done
    r=$((r + 1))
done
cmp -s "$dir/out.1" "$dir/out.2" || { echo "outputs differ between --jobs 1 and 2" >&2; exit 1; }
echo "--jobs 1: ${best1} ms, $((files * 1000 / best1)) files/s"
echo "--jobs 2: ${best2} ms, $((files * 1000 / best2)) files/s"
echo "speed-up: $(awk "BEGIN{printf \"%.2f\", $best1/$best2}")x (fastest of $rounds interleaved runs each)"
