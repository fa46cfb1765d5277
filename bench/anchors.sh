#!/usr/bin/env bash
# anchors.sh: evonas against PyTorch, side by side, one thread each.
#
# Builds ./cmd/evonas into a temporary directory, then for each workload runs
# the PyTorch anchor (bench/anchors/torch_mlp.py, --threads 1) and
# `evonas train` (GOMAXPROCS=1) in turn, ROUNDS times, alternating which goes
# first so that neither always gets the warmer or the quieter moment. It
# prints every round, the median training samples/s of each with the spread
# (min-max) over the rounds, the ratio of the medians (evonas/pytorch), the
# median of the per-round ratios, and a verdict against the targets: a target
# counts as met only when both ratios reach it.
#
# Both sides count only the time spent in minibatch steps: the anchor times
# its training loop, evonas reports step_s (validation excluded).
#
# One thread each: GOMAXPROCS=1 for evonas; for PyTorch --threads 1 and
# OPENBLAS_NUM_THREADS=1. Debian's PyTorch does its float32 products in the
# system BLAS (libblas.so.3, OpenBLAS when libopenblas0 is installed), and
# torch.set_num_threads does not reach OpenBLAS, which would otherwise start
# one thread per core for products as large as mnist10k's.
#
# Usage, from the repository root:
#   bash bench/anchors.sh            # or: make bench-anchors
#   ROUNDS=9 bash bench/anchors.sh
# Environment:
#   ROUNDS  rounds per workload (default 5)
#   PYTHON  the Python that has Debian's python3-torch (default /usr/bin/python3)
#   STRICT  when 1, exit with status 1 if a target is missed (default: report only)
#   OPENBLAS when 1, build evonas with -tags openblas (needs libopenblas-dev)
#   PRECISION evonas train's --precision: float32 (default, as PyTorch) or float64
#   WIDE    when 1, also two wide nets with no target, reported only: digits
#           [1024,809] batch 32 and mnist10k [1024,1024] batch 64, the sizes
#           of a broad search space's largest candidates
#
# The machines this runs on are shared: compare only figures from one run,
# and look at the load average printed at the top and the bottom.
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
STRICT=${STRICT:-0}
PRECISION=${PRECISION:-float32}
ANCHORS=bench/anchors

if ! [[ $ROUNDS =~ ^[1-9][0-9]*$ ]]; then
	echo "anchors.sh: ROUNDS must be a positive integer, got '$ROUNDS'" >&2
	exit 2
fi
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
	echo "anchors.sh: $PYTHON cannot import torch; install Debian's PyTorch with" >&2
	echo "  apt-get update && apt-get install -y python3-torch python3-sklearn" >&2
	exit 1
fi

# datafile NAME: the CSV the anchor reads for a built-in data set, the
# repository's own copy if it is there.
datafile() {
	local f
	for f in "dataset/data/$1" "../shared/datasets/$1"; do
		if [[ -f $f ]]; then
			echo "$f"
			return
		fi
	done
	echo "anchors.sh: no $1 in dataset/data or ../shared/datasets" >&2
	exit 1
}

# field JSON NAME: one field of a JSON object.
if command -v jq >/dev/null; then
	field() { jq -r ".$2" <<<"$1"; }
else
	field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
fi

# median, spread: of the numbers on stdin, one a line.
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
spread() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%.0f-%.0f", lo, hi}'; }

# ratio A B: A/B truncated, not rounded, to three decimals, so that a ratio
# is never rounded up.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", int(a/b*1000)/1000}'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# OPENBLAS=1 builds evonas with its products on OpenBLAS (make
# build-openblas; docs/openblas.md), where mnist10k's target is 1x.
if [[ ${OPENBLAS:-0} == 1 ]]; then
	CGO_ENABLED=1 go build -tags openblas -o "$tmp/evonas" ./cmd/evonas
	mnist_target=1
else
	go build -o "$tmp/evonas" ./cmd/evonas
	mnist_target=1.8
fi
EVONAS=$tmp/evonas

torch_version=$("$PYTHON" -c 'import torch; print(torch.__version__)')
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "go:      $(go version)"
echo "torch:   $torch_version ($PYTHON), libblas.so.3 -> $blas"
echo "uptime:  $(uptime)"
echo "rounds:  $ROUNDS"
echo "evonas:  $([[ ${OPENBLAS:-0} == 1 ]] && echo "-tags openblas (products on OpenBLAS)" || echo "pure Go"), train --precision $PRECISION"

verdicts=()
missed=0

# workload NAME CSV HIDDEN EPOCHS BATCH TARGET (- for none)
workload() {
	local name=$1 csv=$2 hidden=$3 epochs=$4 batch=$5 target=$6
	local tcmd=(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$PYTHON" "$ANCHORS/torch_mlp.py" --data "$csv" --hidden "$hidden" --epochs "$epochs" --batch "$batch" --threads 1)
	local ecmd=("$EVONAS" train --data "$name" --hidden "$hidden" --epochs "$epochs" --batch "$batch" --precision "$PRECISION" --json)
	echo
	local goal="target evonas/pytorch >= ${target}x"
	if [[ $target == - ]]; then
		goal="no target, reported only"
	fi
	echo "== $name: [$hidden] relu, batch $batch, $epochs epochs; $goal"
	echo "   pytorch: ${tcmd[*]}"
	echo "   evonas:  GOMAXPROCS=1 evonas ${ecmd[*]:1}"
	printf '   %-6s  %11s %7s  %11s %7s  %7s  %5s\n' round pytorch/s acc evonas/s acc ratio load1
	local r tj ej ts es
	: >"$tmp/t" && : >"$tmp/e" && : >"$tmp/r"
	for ((r = 1; r <= ROUNDS; r++)); do
		if ((r % 2)); then
			tj=$("${tcmd[@]}")
			ej=$(GOMAXPROCS=1 "${ecmd[@]}")
		else
			ej=$(GOMAXPROCS=1 "${ecmd[@]}")
			tj=$("${tcmd[@]}")
		fi
		ts=$(field "$tj" samples_per_s)
		es=$(field "$ej" samples_per_s)
		echo "$ts" >>"$tmp/t"
		echo "$es" >>"$tmp/e"
		ratio "$es" "$ts" >>"$tmp/r" && echo >>"$tmp/r"
		printf '   %-6s  %11.0f %7.4f  %11.0f %7.4f  %7s  %5s\n' "$r" "$ts" "$(field "$tj" test_acc)" \
			"$es" "$(field "$ej" test_acc)" "$(ratio "$es" "$ts")" "$(cut -d' ' -f1 /proc/loadavg)"
	done
	local tm em rt pr ok
	tm=$(median <"$tmp/t")
	em=$(median <"$tmp/e")
	rt=$(ratio "$em" "$tm")
	pr=$(median <"$tmp/r")
	pr=$(ratio "$pr" 1)
	printf '   %-6s  %11.0f %7s  %11.0f %7s  %7s\n' median "$tm" "" "$em" "" "$rt"
	echo "   spread: pytorch $(spread <"$tmp/t"), evonas $(spread <"$tmp/e") samples/s"
	echo "   median of the per-round ratios: $pr"
	if [[ $target == - ]]; then
		verdicts+=("$(printf '%-9s [%s] evonas %.0f vs pytorch %.0f samples/s (medians of %d): %sx (per-round median %sx), no target' \
			"$name" "$hidden" "$em" "$tm" "$ROUNDS" "$rt" "$pr")")
		return
	fi
	ok=$(awk -v a="$rt" -v b="$pr" -v t="$target" 'BEGIN {print (a >= t && b >= t) ? "met" : "MISSED"}')
	if [[ $ok != met ]]; then
		missed=1
	fi
	verdicts+=("$(printf '%-9s evonas %.0f vs pytorch %.0f samples/s (medians of %d): %sx (per-round median %sx), target >= %sx: %s' \
		"$name" "$em" "$tm" "$ROUNDS" "$rt" "$pr" "$target" "$ok")")
}

digits_csv=$(datafile digits.csv)
mnist_csv=$(datafile mnist10k.csv.gz)
workload digits "$digits_csv" 64,64 20 32 5
workload mnist10k "$mnist_csv" 128 5 64 "$mnist_target"
if [[ ${WIDE:-0} == 1 ]]; then
	workload digits "$digits_csv" 1024,809 3 32 -
	workload mnist10k "$mnist_csv" 1024,1024 2 64 -
fi

# The classic example's experiment: 10 random trials of 1-4 relu layers of
# 8-63 units, 5 epochs of Adam, batch 32, seed-sum (1000 train / 200
# validation rows), timed as a whole. PyTorch: torch_seed_search.py's wall_s
# (after its imports). evonas: `random --config seed --evaluations 10`, one
# worker, GOMAXPROCS=1, summary.json's wall_s (from the command's start: the
# config, the data, training, the logs, best.json and summary.json).
# torch_seed SEED, evonas_seed SEED: one 10-trial search each, as JSON with
# wall_s and best_val_acc.
torch_seed() { OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$PYTHON" "$ANCHORS/torch_seed_search.py" "$1" 10; }
evonas_seed() {
	rm -rf "$tmp/run"
	GOMAXPROCS=1 "$EVONAS" random --config seed --evaluations 10 --workers 1 --seed "$1" --out "$tmp/run" --json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"wall_s": d["wall_s"], "best_val_acc": d["best"]["val_acc"]}))'
}

seedsearch() {
	local target=10
	echo
	echo "== seed-search: the classic 10-trial random search, wall time; target pytorch/evonas >= ${target}x"
	echo "   pytorch: env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $PYTHON $ANCHORS/torch_seed_search.py SEED 10"
	echo "   evonas:  GOMAXPROCS=1 evonas random --config seed --evaluations 10 --workers 1 --seed SEED --json"
	printf '   %-6s  %9s %7s  %9s %7s  %7s  %5s\n' round torch_s val_acc evonas_s val_acc ratio load1
	: >"$tmp/t" && : >"$tmp/e" && : >"$tmp/r"
	local r tj ej tw ew
	for ((r = 1; r <= ROUNDS; r++)); do
		if ((r % 2)); then
			tj=$(torch_seed "$r")
			ej=$(evonas_seed "$r")
		else
			ej=$(evonas_seed "$r")
			tj=$(torch_seed "$r")
		fi
		tw=$(field "$tj" wall_s)
		ew=$(field "$ej" wall_s)
		echo "$tw" >>"$tmp/t"
		echo "$ew" >>"$tmp/e"
		ratio "$tw" "$ew" >>"$tmp/r" && echo >>"$tmp/r"
		printf '   %-6s  %9.3f %7.4f  %9.3f %7.4f  %7s  %5s\n' "$r" "$tw" "$(field "$tj" best_val_acc)" \
			"$ew" "$(field "$ej" best_val_acc)" "$(ratio "$tw" "$ew")" "$(cut -d' ' -f1 /proc/loadavg)"
	done
	local tm em rt pr ok
	tm=$(median <"$tmp/t")
	em=$(median <"$tmp/e")
	rt=$(ratio "$tm" "$em")
	pr=$(median <"$tmp/r")
	pr=$(ratio "$pr" 1)
	printf '   %-6s  %9.3f %7s  %9.3f %7s  %7s\n' median "$tm" "" "$em" "" "$rt"
	echo "   median of the per-round ratios: $pr"
	ok=$(awk -v a="$rt" -v b="$pr" -v t="$target" 'BEGIN {print (a >= t && b >= t) ? "met" : "MISSED"}')
	if [[ $ok != met ]]; then
		missed=1
	fi
	verdicts+=("$(printf 'seed-search pytorch %.3f s vs evonas %.3f s wall (medians of %d): %sx faster (per-round median %sx), target >= %sx: %s' \
		"$tm" "$em" "$ROUNDS" "$rt" "$pr" "$target" "$ok")")
}
seedsearch

echo
echo "uptime:  $(uptime)"
echo "verdict:"
for v in "${verdicts[@]}"; do
	echo "  $v"
done
if [[ $STRICT == 1 && $missed == 1 ]]; then
	exit 1
fi
