#!/usr/bin/env bash
# The pre-registered check of docs/comparison.md ("Paired by seed, and a
# check on fresh seeds"): the five comparisons with objective.folds=4 run
# again, same commands, on seeds 21..40, which no earlier run used.
#
#   bash bench/comparison/fresh.sh [OUT]         # OUT defaults to runs/fresh
#   bash bench/comparison/fresh.sh OUT fair      # the fair comparisons instead:
#                                                # the shipped search, no folds
#   bash bench/comparison/fresh.sh OUT screen    # the fold comparisons with
#                                                # evolution.screen=8, on seeds
#                                                # 41..60 (a second check,
#                                                # registered in its commit)
#   FIRST=61 bash bench/comparison/fresh.sh OUT fair
#                                                # the fair comparisons on seeds
#                                                # 61..80 (the third check,
#                                                # registered in e4e4964)
#
# Builds ./cmd/evonas into OUT/bin, runs one comparison after the other
# (31 minutes on 2 cores on 2026-12-03) and prints each one's table, tests
# and wall time, with uptime before and after each.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/fresh}
set=${2:-folds}
case $set in folds | fair | screen) ;; *) echo "fresh.sh: want folds, fair or screen, got $set" >&2; exit 2 ;; esac
first=21
extra=()
if [ "$set" = screen ]; then
	first=41
	extra=(--set evolution.screen=8)
fi
first=${FIRST:-$first} # FIRST=41 ... folds: the fold settings on the screen check's seeds
mkdir -p "$out/bin"
go build -o "$out/bin/evonas" ./cmd/evonas
evonas=$out/bin/evonas
git rev-parse --short HEAD 2>/dev/null | sed 's/^/commit /' || true

# The default's search put into the seed config, as in docs/comparison.md.
S=(--set evolution.model=regularized --set evolution.sample_size=0 --set evolution.mutation_style=local
	--set objective.repeats=4 --set objective.finalists=2)
run() {
	local name=$1
	shift
	echo "== $name: $(uptime)"
	"$evonas" "$@" --first-seed "$first" --seeds 20 --out "$out/$name" --quiet
	echo "== $name done: $(uptime)"
}
if [ "$set" = fair ]; then
	run seed sweep --config seed "${S[@]}" --budget 200
	run satellite compare --config satellite
	run letter compare --config letter
	run digits compare --config digits
	run mnist compare --config mnist
	exit
fi
run seed sweep --config seed "${S[@]}" --set objective.folds=4 "${extra[@]}" --budget 200
run satellite sweep --config satellite --set objective.folds=4 "${extra[@]}"
run letter sweep --config letter --set objective.folds=4 "${extra[@]}"
run digits sweep --config digits --set objective.folds=4 "${extra[@]}" --budget 100
run mnist sweep --config mnist --set objective.folds=4 "${extra[@]}" --budget 60
