#!/usr/bin/env bash
# yoshiki serve under a stream of edits: the server's memory (RSS) as edits
# accumulate, and the time of one edit's round trip without a browser
# (POST /api/preview, then each page image).
#
#   scripts/serve-bench.sh            # 1,000 edits of the 進行管理表
#   EDITS=200 scripts/serve-bench.sh  # fewer
#   DATA=data%2Fjinzai-plan%2Fh30-r04.yaml scripts/serve-bench.sh   # the plan
#
# Needs curl and jq. The keystroke → preview time in a real browser is
# printed by the browser test:
#   cargo test --release --test browser -- --nocapture 2>&1 | grep keystroke
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS=${EDITS:-1000}
DATA=${DATA:-data%2Fshinko-kanri%2Fr07-no06.yaml}
SAMPLE=${SAMPLE:-100}

cargo build --release -q
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
./target/release/yoshiki -q serve --listen 127.0.0.1:0 >"$work/url" &
pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
url=${url%/}

curl -sf "$url/edit?file=$DATA" | sed -n 's|.*<script type="application/json" id="boot">\(.*\)</script>.*|\1|p' \
  | sed 's/\\u003c/</g; s/\\u003e/>/g; s/\\u0026/\&/g' >"$work/boot.json"
token=$(jq -r .token "$work/boot.json")
session=$(jq -r .session "$work/boot.json")
jq -c .values "$work/boot.json" >"$work/values.json"
# The first text field of the form is the one edited.
field=$(jq -r '[.outline[] | select(.kind == "text")][0].name' "$work/boot.json")

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
echo "yoshiki serve, pid $pid, $EDITS edits of \`$field\` in $DATA"
echo "edits  RSS (KB)  round trip of the last edit (ms)"
printf '%5d  %8d\n' 0 "$(rss)"
: >"$work/times"
for i in $(seq "$EDITS"); do
  jq -c --arg f "$field" --arg v "編集${i}" --arg s "$session" '{session: $s, fields: (. + {($f): $v})}' \
    "$work/values.json" >"$work/body.json"
  start=$(date +%s%N)
  reply=$(curl -sf -H "X-Yoshiki-Token: $token" -H 'Content-Type: application/json' \
    --data-binary @"$work/body.json" "$url/api/preview")
  n=$(jq -r .rendering <<<"$reply")
  pages=$(jq -r .pages <<<"$reply")
  for p in $(seq "$pages"); do curl -sf -o /dev/null "$url/s/$session/$n/$p.png"; done
  end=$(date +%s%N)
  echo $(((end - start) / 1000000)) >>"$work/times"
  if [ $((i % SAMPLE)) = 0 ]; then
    printf '%5d  %8d  %d\n' "$i" "$(rss)" "$(tail -1 "$work/times")"
  fi
done
sort -n "$work/times" | awk '{a[NR]=$1} END {printf "round trip (preview + %s page images, sequential, curl): median %d ms, p90 %d ms, over %d edits\n", "all", a[int(NR/2)+1], a[int(NR*0.9)], NR}'
