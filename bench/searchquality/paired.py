#!/usr/bin/env python3
"""Paired comparison, seed by seed, of strategies in a searchquality -json file.

    go run ./bench/searchquality -set screen -seeds 100 -budgets 100,200 -json screen.json
    python3 bench/searchquality/paired.py screen.json [BASELINE]

For each table, budget and strategy other than random and BASELINE (default: "default"), it prints
the median regret, how many seeds it beat BASELINE on and lost on, and the two-sided exact p of the
Wilcoxon signed-rank test over the seeds (bench/comparison/stats.py's wilcoxon_p; ties dropped).
Every strategy of a run meets the same seeds, so their regrets pair up by position.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "comparison"))
from stats import wilcoxon_p  # noqa: E402


def main(args):
    if not args:
        sys.exit(__doc__)
    data = json.load(open(args[0]))
    base = args[1] if len(args) > 1 else "default"
    print(f"| table | budget | {base} | strategy | median regret | seeds better / worse | Wilcoxon p |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for table, strategies in data.items():
        if base not in strategies:
            sys.exit(f"{args[0]}: {table} has no strategy {base!r}")
        for budget in strategies[base]:
            b = strategies[base][budget]["regrets"]
            for name, by in strategies.items():
                if name in (base, "random") or budget not in by:
                    continue
                x = by[budget]["regrets"]
                better = sum(1 for u, v in zip(x, b) if u < v)
                worse = sum(1 for u, v in zip(x, b) if u > v)
                p, _ = wilcoxon_p(x, b)
                print(f"| {table} | {budget} | {strategies[base][budget]['median_regret']:.3g} | {name} | "
                      f"{by[budget]['median_regret']:.3g} | {better} / {worse} | {p:.2g} |")


if __name__ == "__main__":
    main(sys.argv[1:])
