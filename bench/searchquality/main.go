// Command searchquality measures evonas's search strategies on the tabular
// benchmarks of ../shared/tables (make bench-search): for each table, budget
// and strategy, the median regret over many seeds of the configuration the
// search ends with, with random search as the baseline. Evaluations are
// table look-ups (package table), so a full run takes minutes. Regret
// figures are deterministic for given flags, whatever the machine and its
// load.
//
// The protocol is package table's (the tables' README): a genome's first
// evaluation returns one of its repeats, chosen from the run seed and its
// key; a re-evaluation (objective.repeats) returns the next repeat and
// costs an evaluation; a run's incumbent after N evaluations is the
// configuration with the best observed value, a configuration evaluated
// several times being observed as its mean; regret is the incumbent's mean
// over all repeats minus the table's best mean.
//
// Usage:
//
//	go run ./bench/searchquality [-tables DIR] [-only NAMES] [-seeds 100] [-budgets 100,200,1000] [-set before|after|default|tune|screen|all] [-json FILE]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/table"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "searchquality:", err)
		os.Exit(2)
	}
}

// cell is one strategy's result on one table at one budget.
type cell struct {
	Median  float64   `json:"median_regret"`
	Regrets []float64 `json:"regrets"` // per seed, seeds 1..n
	ToReach *int      `json:"evaluations_to_reach_random_median,omitempty"`
	Evals   float64   `json:"evaluations"`
	Hits    *float64  `json:"cache_hits,omitempty"` // median per run: genomes proposed again, answered by the cache at no cost
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("searchquality", flag.ContinueOnError)
	dir := fs.String("tables", "../shared/tables", "directory of the *.csv.gz tables")
	only := fs.String("only", "", "comma-separated table names (without .csv.gz) to run; empty: all")
	seeds := fs.Int("seeds", 100, "seeds per cell (1..seeds)")
	budgets := fs.String("budgets", "100,200,1000", "comma-separated evaluation budgets")
	set := fs.String("set", "all", "strategies: before (every model as shipped before issue 12), after (the new levers), default (the shipped default and random), tune, screen (the default with evolution.screen 2, 4, 8), all")
	jsonOut := fs.String("json", "", "also write every per-seed regret to this JSON file")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "runs in parallel")
	prof := fs.String("cpuprofile", "", "write a CPU profile to this file")
	anchors := fs.String("optuna", "", "directory of bench/anchors/optuna_tables.sh results: add their medians under each table")
	from := fs.String("from", "", "print the tables of JSON files (comma-separated) written by -json instead of running (with the same -set and -budgets)")
	names := fs.String("strategies", "", "comma-separated strategy names of the set to run (random search always runs, for the ratios); empty: all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var bs []int
	for _, f := range strings.Split(*budgets, ",") {
		b, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || b < 1 {
			return fmt.Errorf("-budgets: bad budget %q", f)
		}
		bs = append(bs, b)
	}
	slices.Sort(bs)
	strategies, err := strategySet(*set)
	if err != nil {
		return err
	}
	if *names != "" {
		keep := strings.Split(*names, ",")
		for _, k := range keep {
			if !slices.ContainsFunc(strategies, func(st strategy) bool { return st.name == k }) {
				return fmt.Errorf("-strategies: no strategy %q in set %s", k, *set)
			}
		}
		strategies = slices.DeleteFunc(strategies, func(st strategy) bool {
			return st.name != "random" && !slices.Contains(keep, st.name)
		})
	}
	if *from != "" {
		return reprint(out, *from, strategies, bs, *anchors)
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	paths, _ := filepath.Glob(filepath.Join(*dir, "*.csv.gz"))
	if *only != "" {
		keep := strings.Split(*only, ",")
		paths = slices.DeleteFunc(paths, func(p string) bool {
			return !slices.Contains(keep, table.Name(p))
		})
	}
	if len(paths) == 0 {
		return fmt.Errorf("no tables in %s", *dir)
	}
	start := time.Now()
	all := map[string]map[string]map[int]*cell{} // table -> strategy -> budget
	fmt.Fprintf(out, "Median regret over %d seeds (seeds 1-%d); x: its ratio to random search's median at the same budget.\n", *seeds, *seeds)
	for _, path := range paths {
		t, err := table.Load(path)
		if err != nil {
			return err
		}
		p, err := table.NewProblem(t, t.Space())
		if err != nil {
			return err
		}
		res := map[string]map[int]*cell{}
		for _, st := range strategies {
			res[st.name] = map[int]*cell{}
		}
		for _, b := range bs {
			ts := make([]table.Strategy, len(strategies))
			hits := make([][]float64, len(strategies))
			for i, st := range strategies {
				ts[i] = counting(st.at(b), &hits[i])
			}
			c, err := table.Compare(context.Background(), p, ts, *seeds, b, *workers, nil)
			if err != nil {
				return err
			}
			for i, sr := range c.Strategies {
				h := median(hits[i])
				res[strategies[i].name][b] = &cell{Median: sr.FinalRegret.Median, Regrets: sr.Regrets, ToReach: sr.ToReach, Evals: sr.Evaluations, Hits: &h}
			}
		}
		all[t.Name] = res
		printTable(out, t.Name, strategies, bs, res)
		if err := printAnchors(out, *anchors, t.Name, bs); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "\n%d tables, %d strategies, budgets %v, %d seeds: %.0f s\n", len(paths), len(strategies), bs, *seeds, time.Since(start).Seconds())
	if *jsonOut != "" {
		b, err := json.Marshal(all)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func printTable(out io.Writer, name string, strategies []strategy, bs []int, res map[string]map[int]*cell) {
	top := bs[len(bs)-1]
	fmt.Fprintf(out, "\n### %s\n\n| strategy |", name)
	for _, b := range bs {
		fmt.Fprintf(out, " @%d | x |", b)
	}
	fmt.Fprintf(out, " evals to random's @%d | cache hits @%d |\n| --- |", top, top)
	for range bs {
		fmt.Fprint(out, " --- | --- |")
	}
	fmt.Fprintln(out, " --- | --- |")
	for _, st := range strategies {
		fmt.Fprintf(out, "| %s |", st.name)
		for _, b := range bs {
			m := res[st.name][b].Median
			ratio := "-"
			if rnd, ok := res["random"]; ok && rnd[b].Median > 0 {
				ratio = fmt.Sprintf("%.2f", m/rnd[b].Median)
			}
			fmt.Fprintf(out, " %.3g | %s |", m, ratio)
		}
		reach := "-"
		if n := res[st.name][top].ToReach; n != nil {
			reach = strconv.Itoa(*n)
		}
		hits := "-"
		if h := res[st.name][top].Hits; h != nil {
			hits = fmt.Sprintf("%.0f", *h)
		}
		fmt.Fprintf(out, " %s | %s |\n", reach, hits)
	}
}

// reprint prints the tables of a JSON file that -json wrote.
func reprint(out io.Writer, file string, strategies []strategy, bs []int, anchors string) error {
	all := map[string]map[string]map[int]*cell{}
	for _, f := range strings.Split(file, ",") {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var part map[string]map[string]map[int]*cell
		if err := json.Unmarshal(b, &part); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for name, res := range part {
			all[name] = res
		}
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		res := all[name]
		for _, st := range strategies {
			for _, b := range bs {
				if res[st.name] == nil || res[st.name][b] == nil {
					return fmt.Errorf("%s: no %s at budget %d for %s", file, st.name, b, name)
				}
			}
		}
		printTable(out, name, strategies, bs, res)
		if err := printAnchors(out, anchors, name, bs); err != nil {
			return err
		}
	}
	return nil
}

// printAnchors prints the median regrets of the Optuna runs of a table
// found in dir (bench/anchors/optuna_tables.sh's JSON files), if any.
func printAnchors(out io.Writer, dir, name string, bs []int) error {
	if dir == "" {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "optuna_*_"+name+"_b*_s*.json"))
	if len(files) == 0 {
		return nil
	}
	fmt.Fprintf(out, "\n| Optuna 3.1, same protocol (%s) |", dir)
	for _, b := range bs {
		fmt.Fprintf(out, " @%d |", b)
	}
	fmt.Fprint(out, "\n| --- |")
	for range bs {
		fmt.Fprint(out, " --- |")
	}
	fmt.Fprintln(out)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r struct {
			Sampler  string             `json:"sampler"`
			Seeds    int                `json:"seeds"`
			Distinct bool               `json:"distinct"` // its budget counted distinct configurations
			Median   map[string]float64 `json:"median_regret"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if r.Distinct {
			r.Sampler += " (distinct configurations counted)"
		}
		fmt.Fprintf(out, "| %s, %d seeds |", r.Sampler, r.Seeds)
		for _, b := range bs {
			if m, ok := r.Median[strconv.Itoa(b)]; ok {
				fmt.Fprintf(out, " %.3g |", m)
			} else {
				fmt.Fprint(out, " - |")
			}
		}
		fmt.Fprintln(out)
	}
	return nil
}

// counting wraps a strategy to collect each run's cache hits into hits.
func counting(s table.Strategy, hits *[]float64) table.Strategy {
	var mu sync.Mutex
	inner := s.Search
	s.Search = func(ctx context.Context, space genome.Space, ev *fitness.Evaluator, seed uint64, budget int) error {
		err := inner(ctx, space, ev, seed, budget)
		_, h, _ := ev.Counts()
		mu.Lock()
		*hits = append(*hits, float64(h))
		mu.Unlock()
		return err
	}
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
