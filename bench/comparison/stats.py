#!/usr/bin/env python3
"""Figures of docs/comparison.md that evonas does not print, from compare output directories.

    python3 bench/comparison/stats.py DIR...            # one block per comparison
    python3 bench/comparison/stats.py --pair A:I B:J    # strategy I of A against strategy J of B
    python3 bench/comparison/stats.py --pool DIR...     # the seeds of several comparisons as one
    python3 bench/comparison/stats.py --power N DIR...  # how often N seeds would show a difference

For each comparison directory (written by `evonas compare` or `evonas sweep`) it prints, per
strategy, medians and quartiles of the final validation and test accuracy; for every other
strategy against random search, the two-sided exact Mann-Whitney U p-value and A12 (recomputed
from the per-seed values in summary.json, as a check of evonas's own), the mean over the runs of
validation minus test accuracy of the reported net, and the same test for the search's own winner
(`best` in each per-seed summary.json, judged on the mean of its trainings; needs the per-seed
directories), and both strategies' own winners against each other (the test accuracy of each
winner's first training: with objective.folds, the net trained on the data's own split). With --pair it tests strategy I (0-based) of comparison A against strategy J of B,
seed by seed the same seeds, on validation and test accuracy. With --pool it treats comparisons of
the same strategies under different seeds (--first-seed) as one, and tests each strategy against
random search on all their seeds, unpaired and paired by seed. With --power it estimates, for
each strategy of the pooled comparisons, how often a comparison of N seeds would find it better
than random search on test accuracy (p < 0.05 and the strategy ahead), by drawing N of the pooled
seeds with replacement 2000 times (a seeded generator: the same figures each time) and testing
each draw, paired by seed and by Mann-Whitney. The estimate takes the observed differences for
the true ones, so it is optimistic when they were themselves the reason to look.

Standard library only. The p-value is exact: the share of all splits of the pooled midranks into
two groups of the observed sizes whose rank sum is at least as far from its mean as the observed
one, counted by dynamic programming over rank sums.
"""
import json
import math
import os
import sys


def midranks(vals):
    order = sorted(range(len(vals)), key=lambda i: vals[i])
    r = [0.0] * len(vals)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and vals[order[j + 1]] == vals[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def mann_whitney_p(x, y):
    """Two-sided exact p of the rank-sum test, midranks for ties."""
    pooled = list(x) + list(y)
    r2 = [int(round(2 * v)) for v in midranks(pooled)]  # doubled midranks are integers
    n, total = len(x), len(pooled)
    observed = sum(r2[:n])
    mean2 = n * (total + 1)  # twice the null mean of the rank sum, n(N+1)/2
    counts = [dict() for _ in range(n + 1)]  # counts[k][s]: subsets of size k with doubled sum s
    counts[0][0] = 1
    for v in r2:
        for k in range(n, 0, -1):
            for s, c in counts[k - 1].items():
                counts[k][s + v] = counts[k].get(s + v, 0) + c
    dev = abs(observed - mean2)
    extreme = sum(c for s, c in counts[n].items() if abs(s - mean2) >= dev)
    return extreme / sum(counts[n].values())


def wilcoxon_p(x, y):
    """Two-sided exact p of the signed-rank test of pairs x[i], y[i], and the pairs that differ.

    Pairs with equal values are dropped; the others are ranked by the size of their difference
    to 12 significant digits (midranks for ties), and the null distribution of the positive rank sum is counted over the
    2^n signs by dynamic programming over doubled midranks, as search.Wilcoxon does up to 60 pairs.
    """
    d = [float(f"{a - b:.12g}") for a, b in zip(x, y) if a != b]  # to 12 digits, as search.TieValue
    if not d:
        return 1.0, 0
    r2 = [int(round(2 * v)) for v in midranks([abs(v) for v in d])]
    observed = sum(r for r, v in zip(r2, d) if v > 0)
    total = sum(r2)
    counts = {0: 1}
    for r in r2:
        nxt = dict(counts)
        for s, c in counts.items():
            nxt[s + r] = nxt.get(s + r, 0) + c
        counts = nxt
    dev = abs(2 * observed - total)
    extreme = sum(c for s, c in counts.items() if abs(2 * s - total) >= dev)
    return min(1.0, extreme / 2 ** len(d)), len(d)


def signed_ranks(x, y):
    """The positive minus the negative rank sum of the signed-rank test: > 0 when x leads."""
    d = [float(f"{a - b:.12g}") for a, b in zip(x, y) if a != b]
    r = midranks([abs(v) for v in d])
    return sum(ri if v > 0 else -ri for ri, v in zip(r, d))


def by_seed(x, y):
    """The values of strategies x and y (lists of per-seed dicts) for the seeds both have."""
    ys = {s["seed"]: s for s in y}
    return [(s, ys[s["seed"]]) for s in x if s["seed"] in ys]


def a12(x, y):
    wins = sum(1 for a in x for b in y if a > b)
    ties = sum(1 for a in x for b in y if a == b)
    return (wins + 0.5 * ties) / (len(x) * len(y))


def quartiles(v):
    v = sorted(v)

    def at(p):
        h = (len(v) - 1) * p
        lo = math.floor(h)
        return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])

    return at(0.5), at(0.25), at(0.75)


def fmt_q(v):
    m, lo, hi = quartiles(v)
    return f"{m:.4f} [{lo:.4f}, {hi:.4f}]"


def load(d):
    """A comparison's summary.json, each run's values to 12 significant digits as evonas tests them:
    a winner's mean is a fraction whose floating-point sum can differ in its last bits from an
    equal one's, and the two are a tie."""
    with open(os.path.join(d, "summary.json")) as f:
        s = json.load(f)
    for st in s["strategies"]:
        for seed in st["seeds"]:
            for k in ("best_val", "best_test"):
                if seed.get(k) is not None:
                    seed[k] = float(f"{seed[k]:.12g}")
    return s


def values(strategy, metric):
    return [s[metric] for s in strategy["seeds"]]


def own_winner(d, strategy):
    """Test accuracy of each run's own winner, or None without the per-seed directories."""
    out = []
    for s in strategy["seeds"]:
        path = os.path.join(d, strategy["name"].replace(" ", "_"), f"seed-{s['seed']}", "summary.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            out.append(json.load(f)["best"]["test_acc"])
    return out


def report(d):
    s = load(d)
    print(f"== {d}: budget {s['budget']}, wall_s {s['wall_s']}")
    print(f"   {s['command']}")
    strategies = {st["name"]: st for st in s["strategies"]}
    for name, st in strategies.items():
        val, test = values(st, "best_val"), values(st, "best_test")
        gap = sum(v - t for v, t in zip(val, test)) / len(val)
        ev = [x["evaluations"] for x in st["seeds"]]
        print(f"   {name}: {len(val)} seeds; val {fmt_q(val)}, {len(set(val))} distinct; test {fmt_q(test)}; "
              f"val - test mean {gap:+.4f}; trainings {min(ev)}-{max(ev)}")
    base = strategies.get("random")
    if base is None:
        return
    for name, st in strategies.items():
        if name == "random":
            continue
        for metric in ("best_val", "best_test"):
            x, y = values(st, metric), values(base, metric)
            pairs = by_seed(st["seeds"], base["seeds"])
            pp, n = wilcoxon_p([a[metric] for a, _ in pairs], [b[metric] for _, b in pairs])
            print(f"   {name} vs random, {metric}: p = {mann_whitney_p(x, y):.4g}, A12 = {a12(x, y):.4f}, "
                  f"median difference {quartiles(x)[0] - quartiles(y)[0]:+.4f}; "
                  f"paired by seed p = {pp:.4g} ({n} pairs that differ)")
        own = own_winner(d, st)
        if own is not None:
            y = values(base, "best_test")
            print(f"   {name}'s own winner, test: {fmt_q(own)}; vs random p = {mann_whitney_p(own, y):.4g}, "
                  f"A12 = {a12(own, y):.4f}")
            own_base = own_winner(d, base)
            if own_base is not None:
                print(f"   own winners' first trainings, test: {name} {fmt_q(own)}, random {fmt_q(own_base)}; "
                      f"p = {mann_whitney_p(own, own_base):.4g}, A12 = {a12(own, own_base):.4f}")


def pair(a, b):
    (da, ia), (db, ib) = (x.rsplit(":", 1) for x in (a, b))
    sa, sb = load(da)["strategies"][int(ia)], load(db)["strategies"][int(ib)]
    print(f"== {sa['name']} ({da}) against {sb['name']} ({db})")
    for metric in ("best_val", "best_test"):
        x, y = values(sa, metric), values(sb, metric)
        print(f"   {metric}: p = {mann_whitney_p(x, y):.4g}, A12 = {a12(x, y):.4f}, "
              f"medians {quartiles(x)[0]:.4f} and {quartiles(y)[0]:.4f}")


def pool(dirs):
    """Each strategy's seeds over several comparisons, tested against random search's."""
    merged = merged_seeds(dirs)
    print(f"== pooled: {' '.join(dirs)}")
    base = merged.get("random")
    for name, seeds in merged.items():
        print(f"   {name}: {len(seeds)} seeds; val {fmt_q([s['best_val'] for s in seeds])}; "
              f"test {fmt_q([s['best_test'] for s in seeds])}")
    if base is None:
        return
    for name, seeds in merged.items():
        if name == "random":
            continue
        pairs = by_seed(seeds, base)
        for metric in ("best_val", "best_test"):
            x, y = [s[metric] for s in seeds], [s[metric] for s in base]
            pp, n = wilcoxon_p([a[metric] for a, _ in pairs], [b[metric] for _, b in pairs])
            print(f"   {name} vs random, {metric}: p = {mann_whitney_p(x, y):.4g}, A12 = {a12(x, y):.4f}; "
                  f"paired by seed p = {pp:.4g} ({n} of {len(pairs)} pairs differ)")


def merged_seeds(dirs):
    """Each strategy's per-seed values over several comparisons of different seeds."""
    merged = {}
    for d in dirs:
        for st in load(d)["strategies"]:
            seeds = merged.setdefault(st["name"], [])
            taken = {s["seed"] for s in seeds}
            for s in st["seeds"]:
                if s["seed"] in taken:
                    raise SystemExit(f"stats.py: seed {s['seed']} of {st['name']} is in two of {dirs}")
                seeds.append(s)
    return merged


def power(n, dirs, draws=2000):
    """How often n seeds drawn from the pooled ones give a significant lead on test."""
    import random
    merged = merged_seeds(dirs)
    base = merged.get("random")
    if base is None:
        raise SystemExit(f"stats.py: --power: no random search in {dirs}")
    print(f"== power of {n} seeds, {draws} draws: {' '.join(dirs)}")
    for name, seeds in merged.items():
        if name == "random":
            continue
        pairs = [(a["best_test"], b["best_test"]) for a, b in by_seed(seeds, base)]
        rng = random.Random(1)
        paired = unpaired = 0
        for _ in range(draws):
            draw = [pairs[rng.randrange(len(pairs))] for _ in range(n)]
            x, y = [a for a, _ in draw], [b for _, b in draw]
            if signed_ranks(x, y) > 0 and wilcoxon_p(x, y)[0] < 0.05:
                paired += 1
            if a12(x, y) > 0.5 and mann_whitney_p(x, y) < 0.05:
                unpaired += 1
        print(f"   {name} vs random on test, {len(pairs)} pooled pairs: paired {paired / draws:.3f}, "
              f"Mann-Whitney {unpaired / draws:.3f}")


def main(args):
    if not args:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    if args[0] == "--pair":
        if len(args) != 3:
            print("stats.py: --pair takes DIR:I DIR:J", file=sys.stderr)
            return 2
        pair(args[1], args[2])
        return 0
    if args[0] == "--pool":
        if len(args) < 3:
            print("stats.py: --pool takes two or more DIRs", file=sys.stderr)
            return 2
        pool(args[1:])
        return 0
    if args[0] == "--power":
        if len(args) < 3 or not args[1].isdigit() or int(args[1]) < 2:
            print("stats.py: --power takes N (2 or more) and DIRs", file=sys.stderr)
            return 2
        power(int(args[1]), args[2:])
        return 0
    for d in args:
        report(d)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
