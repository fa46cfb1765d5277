#!/bin/bash
# The default search on 1 and 2 workers, alternating, as docs/benchmarks.md
# measures it ("Parallel evaluation and idle cores"):
#   bash bench/workers.sh [ROUNDS] [BINARY ...]
# Each round runs `evonas evolve --data digits --population 16 --generations
# 3 --workers W --quiet --json` with 1 worker by the first binary, then with
# 2 workers by each binary (by default one built from this tree), and prints
# wall seconds and the ratio to the round's 1-worker run, with the load.
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
wall() { # binary workers
	rm -rf "$tmp/out"
	"$1" evolve --data digits --population 16 --generations 3 --workers "$2" --out "$tmp/out" --quiet --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["wall_s"])'
}
echo "start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for r in $(seq 1 "$rounds"); do
	one=$(wall "${bins[0]}" 1)
	line="round $r | 1 worker ${one} s"
	for b in "${bins[@]}"; do
		two=$(wall "$b" 2)
		line="$line | $(basename "$b"), 2 workers ${two} s, $(python3 -c "print(f'{$one / $two:.3f}x')")"
	done
	echo "$line | load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "end $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
