#!/bin/bash
# The default search with one worker, alternating between builds, as
# docs/benchmarks.md measures a per-core change ("Wider kernels and
# vectorized activations"):
#   bash bench/search1.sh [ROUNDS] [BINARY ...]
# Each round runs `evonas evolve --data digits --population 16 --generations
# 3 --workers 1 --quiet --json` once with each binary (by default one built
# from this tree) and prints the wall seconds of each, with the load.
set -euo pipefail
rounds=${1:-5}
shift || true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
	go build -o "$tmp/evonas" ./cmd/evonas
	bins=("$tmp/evonas")
fi
echo "start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for r in $(seq 1 "$rounds"); do
	line="round $r"
	for b in "${bins[@]}"; do
		rm -rf "$tmp/out"
		w=$("$b" evolve --data digits --population 16 --generations 3 --workers 1 --out "$tmp/out" --quiet --json |
			python3 -c 'import json, sys; print(json.load(sys.stdin)["wall_s"])')
		line="$line | $(basename "$b") $w s"
	done
	echo "$line | load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "end $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
