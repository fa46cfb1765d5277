#!/usr/bin/python3
"""Optuna's NSGAIISampler on an FCNet table with two objectives, the validation MSE (one repeat
drawn at random per evaluation, as the tables' README says) and the parameter count of the net
(from its two widths and the data set's inputs: inputs -> units_1 -> units_2 -> 1, weights and
biases, as evonas's table.Shapes counts them).

Prints one JSON line per seed: {"seed", "population", "trials": [[observed MSE, mean MSE over
the table's repeats, params], ...]} in the order Optuna asked for them. bench/anchors/
paretotable (Go) reads these lines, runs evonas on the same table, and computes every
hypervolume and test the same way for both; bench/pareto.sh runs the two side by side.

With --distinct, a configuration Optuna asks for again is answered with its first draw and not
counted, as evonas counts it (a cache hit costs nothing): each seed runs until BUDGET distinct
configurations, and only those are printed. Without it, every trial counts, a repeated
configuration drawing a fresh repeat.

Usage: pareto_table.py TABLE.csv.gz --inputs D [--budget 200] [--seeds 30] [--population 50] [--distinct]
Needs Debian's python3-optuna (3.1)."""
import argparse, csv, gzip, json, random, statistics, time

import optuna

p = argparse.ArgumentParser()
p.add_argument("table")
p.add_argument("--inputs", type=int, required=True, help="the data set's input features")
p.add_argument("--budget", type=int, default=200)
p.add_argument("--seeds", type=int, default=30)
p.add_argument("--population", type=int, default=50, help="NSGAIISampler's population_size (its default: 50)")
p.add_argument("--distinct", action="store_true", help="count distinct configurations, not trials (a repeat is answered with its first draw)")
a = p.parse_args()

with gzip.open(a.table, "rt", newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
metric_cols = [i for i, h in enumerate(header) if h.startswith("val_mse_")]
if not metric_cols:
    raise SystemExit(f"pareto_table.py: {a.table} has no val_mse_K columns: not an FCNet table")
gene_cols = [i for i in range(len(header)) if i not in metric_cols]
genes = [header[i] for i in gene_cols]
choices = {header[i]: sorted({r[i] for r in body}) for i in gene_cols}
table = {tuple(r[i] for i in gene_cols): [float(r[i]) for i in metric_cols] for r in body}
u1, u2 = genes.index("units_1"), genes.index("units_2")


def params(key):
    w1, w2 = int(key[u1]), int(key[u2])
    return (a.inputs + 1) * w1 + (w1 + 1) * w2 + (w2 + 1)


optuna.logging.set_verbosity(optuna.logging.WARNING)
for seed in range(1, a.seeds + 1):
    t0 = time.time()
    rng = random.Random(seed)
    sampler = optuna.samplers.NSGAIISampler(seed=seed, population_size=a.population)
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)
    trials, seen, asked = [], {}, 0
    while len(trials) < a.budget:
        t = study.ask()
        asked += 1
        key = tuple(t.suggest_categorical(g, choices[g]) for g in genes)
        if a.distinct and key in seen:
            study.tell(t, seen[key])
            continue
        y, q = rng.choice(table[key]), params(key)
        seen[key] = [y, q]
        study.tell(t, [y, q])
        trials.append([y, statistics.fmean(table[key]), q])
    print(json.dumps({"seed": seed, "population": a.population, "optuna": optuna.__version__,
                      "distinct": a.distinct, "asked": asked, "wall_s": time.time() - t0, "trials": trials}), flush=True)
