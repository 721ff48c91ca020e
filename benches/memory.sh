#!/bin/sh
# Peak memory (maximum resident set size) of `qmwire lint` and `qmwire redact` on documents just
# under the default size limit of 16 MiB (issue 16, item 5).
#
# Generates two valid documents in a temporary directory (python3):
# - qimen_16m.xml: the header of benches/data/deliveryorder_create_60k.xml and 19,100 pretty-
#   printed order lines with all 18 fields of the contract (875 bytes each; the list limit is
#   20,000 children);
# - wdt_16m.json: one line, the 50 trades of benches/data/trade_push_50.json copied over and
#   over (about 11,000 trades, 33,000 order lines), each copy with its own tid, oids and buyer
#   nick, so no id repeats and no nick passes the 30-trade limit.
# Checks that both lint without errors (the wdt push draws a `wdt.batch-size` warning), then
# runs each command under `/usr/bin/time -v` ROUNDS times and prints the smallest peak RSS and
# the fastest wall time of each. Usage, from the repository root:
#
#   cargo build --release -p qmwire-cli
#   benches/memory.sh [path/to/qmwire] [rounds]
set -eu
bin=${1:-target/release/qmwire}
rounds=${2:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
limit=16777216

python3 - "$dir" "$limit" <<'EOF'
import json, sys
out, limit = sys.argv[1], int(sys.argv[2])

src = open("benches/data/deliveryorder_create_60k.xml", encoding="utf-8").read()
head = src[: src.index("<orderLines>") + len("<orderLines>\n")]
tail = src[src.index("  </orderLines>"):]
line = """    <orderLine>
      <orderLineNo>{n}</orderLineNo>
      <sourceOrderCode>3856120045671234{n:05d}</sourceOrderCode>
      <subSourceOrderCode>3856120045671234{n:05d}-1</subSourceOrderCode>
      <payNo>2026112122001488016789{n:06d}</payNo>
      <ownerCode>XIAOXIONG</ownerCode>
      <itemCode>JSQ-{n:05d}</itemCode>
      <itemId>WMS-ITEM-{n:07d}</itemId>
      <inventoryType>ZP</inventoryType>
      <itemName>小熊加湿器 3L 静音卧室家用 白色 上加水 香薰款 第{n}款</itemName>
      <extCode>TM-{n:08d}</extCode>
      <planQty>2</planQty>
      <retailPrice>259.00</retailPrice>
      <actualPrice>239.00</actualPrice>
      <discountAmount>20.00</discountAmount>
      <batchCode>B2026{n:06d}</batchCode>
      <productDate>2026-10-01</productDate>
      <expireDate>2028-09-30</expireDate>
      <produceCode>P{n:08d}</produceCode>
    </orderLine>
"""
parts, size, n = [head], len((head + tail).encode()), 0
while True:
    piece = line.format(n=n + 1)
    if size + len(piece.encode()) > limit:
        break
    parts.append(piece)
    size += len(piece.encode())
    n += 1
parts.append(tail)
with open(f"{out}/qimen_16m.xml", "w", encoding="utf-8") as f:
    f.write("".join(parts))
print(f"qimen_16m.xml: {size} bytes, {n} order lines")

push = json.load(open("benches/data/trade_push_50.json", encoding="utf-8"))
trades = push["trade_list"]
def dump(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
prefix = dump({k: v for k, v in push.items() if k != "trade_list"})[:-1] + ',"trade_list":['
parts, size, count = [prefix], len(prefix.encode()) + 2, 0
while True:
    t = json.loads(dump(trades[count % len(trades)]))
    copy = count // len(trades)
    t["tid"] = f"{t['tid']}-{copy}"
    for line_ in t["order_list"]:
        line_["oid"] = f"{line_['oid']}-{copy}"
    t["buyer_nick"] = f"{t['buyer_nick']}{copy}"
    piece = ("," if count else "") + dump(t)
    if size + len(piece.encode()) > limit:
        break
    parts.append(piece)
    size += len(piece.encode())
    count += 1
parts.append("]}")
with open(f"{out}/wdt_16m.json", "w", encoding="utf-8") as f:
    f.write("".join(parts))
print(f"wdt_16m.json: {size} bytes, {count} trades")
EOF

for doc in qimen_16m.xml:deliveryorder.create wdt_16m.json:trade_push; do
    file=${doc%%:*}
    method=${doc#*:}
    summary=$("$bin" lint --method "$method" "$dir/$file" 2>&1 | tail -n 1) || true
    echo "$file: $summary"
    case "$summary" in
        *" 0 errors"*) ;;
        *) echo "$file does not lint without errors" >&2; exit 1 ;;
    esac
    for cmd in lint redact; do
        best_kb=999999999; best_s=999999
        r=0
        while [ "$r" -lt "$rounds" ]; do
            /usr/bin/time -v "$bin" "$cmd" --method "$method" "$dir/$file" \
                > "$dir/out" 2> "$dir/time" || true
            kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
            wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
            s=$(echo "$wall" | awk -F: '{ print ($1 * 60 + $2) * 1000 }')
            s=${s%.*}
            [ "$kb" -lt "$best_kb" ] && best_kb=$kb
            [ "$s" -lt "$best_s" ] && best_s=$s
            r=$((r + 1))
        done
        if [ "$cmd" = redact ]; then
            cmp -s "$dir/out" "$dir/$file" && { echo "redact changed nothing" >&2; exit 1; }
            [ "$(wc -c < "$dir/out")" -gt 1000000 ] || { echo "redact output is short" >&2; exit 1; }
        fi
        echo "qmwire $cmd --method $method $file: peak RSS $((best_kb / 1024)) MiB ($best_kb KiB), fastest of $rounds: $best_s ms"
    done
done
