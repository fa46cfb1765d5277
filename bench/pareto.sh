#!/usr/bin/env bash
# pareto.sh: evonas's Pareto search against Optuna's NSGAIISampler on the four
# FCNet tables, side by side, two objectives: the validation MSE (one repeat
# drawn per evaluation) and the net's parameter count (from its widths).
#
# For each table, bench/anchors/pareto_table.py runs Optuna's NSGAIISampler
# (Debian python3-optuna 3.1) under seeds 1..SEEDS with its default
# population (50) and with evonas's (12), BUDGET trials each, and dumps every
# trial; bench/anchors/paretotable runs evonas (the shipped config
# fcnet_pareto: nsga2, population 12) and random search under the same seeds
# and budget on the same table, and scores all of them the same way with
# evonas's search package: hypervolume after BUDGET evaluations in the frame
# error 0..1 (linear), params smallest..largest net of the table (log10),
# reference point 1.1 in each, on the values seen ("hypervolume") and with
# each front member's mean over the table's four repeats ("true
# hypervolume"); Mann-Whitney U and A12 between evonas and each other side;
# and the target: evonas's median at least each Optuna side's.
#
# Table lookups are deterministic: the hypervolumes do not depend on the
# machine or its load (only the wall times do).
#
# Usage, from the repository root:
#   bash bench/pareto.sh                 # or: make bench-pareto
#   SEEDS=10 bash bench/pareto.sh
#   DISTINCT=1 ONLY=protein_structure bash bench/pareto.sh
# Environment: SEEDS (30), BUDGET (200), PYTHON (/usr/bin/python3),
#   TABLES (../shared/tables), OUT (a directory for the per-table JSON),
#   DISTINCT (1: Optuna's budget counts distinct configurations, a repeat
#   answered with its first draw, as evonas's cache does; by default every
#   trial counts), ONLY (one table's name, such as protein_structure)
set -euo pipefail

cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-30}
BUDGET=${BUDGET:-200}
PYTHON=${PYTHON:-/usr/bin/python3}
TABLES=${TABLES:-../shared/tables}

if ! "$PYTHON" -c 'import optuna' 2>/dev/null; then
	echo "pareto.sh: $PYTHON cannot import optuna; install Debian's with" >&2
	echo "  apt-get update && apt-get install -y python3-optuna" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/paretotable" ./bench/anchors/paretotable
if [[ -n ${OUT:-} ]]; then
	mkdir -p "$OUT"
	export PARETO_JSON=$OUT
fi

echo "# evonas nsga2 against Optuna NSGAIISampler on the FCNet tables"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); evonas $(git rev-parse --short HEAD 2>/dev/null || echo '?');${DISTINCT:+ Optuna budget in distinct configurations;}" \
	"optuna $("$PYTHON" -c 'import optuna; print(optuna.__version__)'); $(nproc) CPUs; load:$(uptime | sed 's/.*load average//')"
echo
# table:inputs, as table.Shapes has them (paretotable checks every Optuna
# trial's params against the table's).
for spec in protein_structure:9 slice_localization:385 naval_propulsion:15 parkinsons_telemonitoring:20; do
	name=fcnet_${spec%%:*}
	inputs=${spec##*:}
	if [[ -n ${ONLY:-} && $ONLY != "${spec%%:*}" ]]; then
		continue
	fi
	file=$TABLES/$name.csv.gz
	for pop in 50 12; do
		"$PYTHON" bench/anchors/pareto_table.py "$file" --inputs "$inputs" --seeds "$SEEDS" --budget "$BUDGET" --population "$pop" ${DISTINCT:+--distinct} >"$tmp/$name-$pop.jsonl"
	done
	"$tmp/paretotable" -table "$file" -seeds "$SEEDS" -budget "$BUDGET" "$tmp/$name-50.jsonl" "$tmp/$name-12.jsonl"
done
echo "load at the end:$(uptime | sed 's/.*load average//')"
