#!/usr/bin/env bash
# Draws the screenshots of docs/ui.md again: a search and a comparison on
# seed-sum, served by evonas ui and shot with headless Chromium.
# Run from anywhere: bash docs/ui/screenshots.sh (needs go and chromium).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/docs/ui"
tmp="$(mktemp -d)"
ui=""
trap '[ -n "$ui" ] && kill "$ui"; rm -rf "$tmp"' EXIT
(cd "$repo" && go build -o "$tmp/evonas" ./cmd/evonas)
cd "$tmp"
./evonas evolve --config seed --generations 14 --population 16 --workers 1 --seed 13 --out runs/seed-evolve -q >/dev/null
./evonas compare --config seed --seeds 5 --budget 40 --workers 1 --out runs/seed-compare -q >/dev/null
port=18093
./evonas ui --dir runs --listen "127.0.0.1:$port" 2>/dev/null &
ui=$!
sleep 1
shot() { # URL FILE WIDTH,HEIGHT
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
		--user-data-dir="$(mktemp -d -p "$tmp")" --window-size="$3" --virtual-time-budget=5000 \
		--screenshot="$out/$2" "http://127.0.0.1:$port/$1" >/dev/null 2>&1
}
shot "" runs.png 1280,230
shot "#/run/seed-evolve" run.png 1280,1250
shot "#/run/seed-evolve?lineage" lineage.png 1280,1240
shot "#/compare/seed-compare" compare.png 1280,960
ls -l "$out"/*.png
