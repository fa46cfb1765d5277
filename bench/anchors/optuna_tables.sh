#!/usr/bin/env bash
# optuna_tables.sh: Optuna's TPE and random samplers on the eight tabular
# benchmarks, through the protocol of the tables' README (one repeat drawn per
# evaluation; incumbent = the best value observed; regret of its mean), the
# same protocol as `evonas-bench-search` (make bench-search) applies to
# evonas's strategies.
#
# Each run is bench/anchors/optuna_table.py (a copy of the project's
# reference script with one option added, --distinct, off here: the same
# results), and writes its JSON line to
# bench/anchors/results/optuna_SAMPLER_TABLE_bBUDGET_sSEEDS.json. A result
# that is already there is kept, so an interrupted run resumes.
#
# TPE is slow (its cost grows with the trials so far): it runs 30 seeds
# (seeds 1-30) by default, random search 100 (seeds 1-100), as the issue
# allows. Checkpoints at 10, 20, 50, 100, 200, 500 and 1000 evaluations come
# out of the one run per budget.
#
# Usage, from the repository root:
#   bash bench/anchors/optuna_tables.sh               # TPE to 200, random to 1000
#   TPE_BUDGET=1000 bash bench/anchors/optuna_tables.sh
# Environment:
#   TABLES      directory of the *.csv.gz tables (default ../shared/tables)
#   TPE_BUDGET  evaluations per TPE run (default 200)
#   TPE_SEEDS   seeds per TPE run (default 30)
#   RND_BUDGET  evaluations per random run (default 1000)
#   RND_SEEDS   seeds per random run (default 100)
#   SAMPLERS    which samplers to run (default "random tpe")
#   PYTHON      the Python with Debian's python3-optuna (default /usr/bin/python3)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
TABLES=${TABLES:-../shared/tables}
TPE_BUDGET=${TPE_BUDGET:-200}
TPE_SEEDS=${TPE_SEEDS:-30}
RND_BUDGET=${RND_BUDGET:-1000}
RND_SEEDS=${RND_SEEDS:-100}
SAMPLERS=${SAMPLERS:-random tpe}
PYTHON=${PYTHON:-/usr/bin/python3}
out="$here/results"
mkdir -p "$out"

if ! "$PYTHON" -c 'import optuna' 2>/dev/null; then
	echo "optuna_tables.sh: $PYTHON cannot import optuna (apt-get install python3-optuna)" >&2
	exit 2
fi

shopt -s nullglob
tables=("$TABLES"/*.csv.gz)
if [ ${#tables[@]} -eq 0 ]; then
	echo "optuna_tables.sh: no *.csv.gz tables in $TABLES" >&2
	exit 2
fi

# run SAMPLER BUDGET SEEDS TABLE: one result file, unless it exists.
run() {
	local sampler=$1 budget=$2 seeds=$3 table=$4
	local name
	name=$(basename "$table" .csv.gz)
	local file="$out/optuna_${sampler}_${name}_b${budget}_s${seeds}.json"
	if [ -s "$file" ]; then
		echo "kept $file"
		return
	fi
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
		"$PYTHON" "$here/optuna_table.py" "$table" --sampler "$sampler" \
		--budget "$budget" --seeds "$seeds" >"$file.tmp"
	mv "$file.tmp" "$file"
	echo "wrote $file"
}

for sampler in $SAMPLERS; do
	for table in "${tables[@]}"; do
		case $sampler in
		tpe) run tpe "$TPE_BUDGET" "$TPE_SEEDS" "$table" ;;
		*) run "$sampler" "$RND_BUDGET" "$RND_SEEDS" "$table" ;;
		esac
	done
done
