#!/bin/sh
# The first table of results of docs/tables.md: the shipped evolution
# configs (their evolution settings, on each table's whole grid) and random
# search on the eight public tables of ../shared/tables and the shipped
# spirals_mlp table; 100 seeds, budget 1000, regret read at 100, 200 and
# 1000 evaluations. Regret on a table is deterministic: the figures do not
# depend on the machine or its load.
#
# Usage: bench/tables.sh [OUT_DIR]   (from the repository root; needs python3)
set -eu
out=${1:-runs/bench-tables}
seeds=${SEEDS:-100}
budget=${BUDGET:-1000}
go build -o bin/evonas ./cmd/evonas
mkdir -p "$out"
tables=""
for t in ../shared/tables/*.csv.gz; do
	[ -e "$t" ] && tables="$tables $t"
done
[ -n "$tables" ] || echo "no ../shared/tables: only the shipped table" >&2
for t in $tables spirals_mlp; do
	name=$(basename "$t" .csv.gz)
	rm -rf "$out/$name"
	bin/evonas compare --table "$t" --config default --config regularized --config islands --table-grid \
		--seeds "$seeds" --budget "$budget" --out "$out/$name" --quiet >/dev/null
	echo "$name done" >&2
done
python3 - "$out" $tables spirals_mlp <<'PY'
import json, os, sys
out, names = sys.argv[1], [os.path.basename(t).replace(".csv.gz", "") for t in sys.argv[2:]]
first = json.load(open(os.path.join(out, names[0], "summary.json")))
cps = [c for c in ("100", "200", str(first["budget"])) if c in first["strategies"][0]["at_budget"]]
print("| table | strategy | " + " | ".join(f"median regret at {c} (x random)" for c in cps) + " | evaluations to reach random's median at %s | p vs random at %s |" % (cps[-1], cps[-1]))
print("| --- | --- | " + " | ".join("---" for _ in cps) + " | --- | --- |")
for n in names:
    s = json.load(open(os.path.join(out, n, "summary.json")))
    rnd = {x["name"]: x for x in s["strategies"]}["random"]
    for st in s["strategies"]:
        cells = []
        for c in cps:
            m, r = st["at_budget"][c]["median"], rnd["at_budget"][c]["median"]
            ratio = "" if st["name"] == "random" else (f" ({m / r:.2f}x)" if r > 0 else " (-)")
            cells.append(f"{m:.4g}{ratio}")
        reach = st.get("evaluations_to_reach_random_median")
        p = st.get("p_value")
        print(f"| {n} | {st['name']} | " + " | ".join(cells) + f" | {reach if reach is not None else 'never'} | {'-' if p is None else f'{p:.2g}'} |")
PY
