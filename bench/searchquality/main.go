// Command searchquality measures evonas's search strategies on the tabular
// benchmarks of ../shared/tables (make bench-search): for each table, budget
// and strategy, the median regret over many seeds of the architecture the
// search names, with random search as the baseline. Evaluations are table
// look-ups, so a full run takes minutes. Regret figures are deterministic
// for given flags, whatever the machine and its load.
//
// Protocol (the tables' README): an evaluation returns one of the
// configuration's repeats, drawn from its training seed; a search's result
// after N evaluations is its incumbent, the configuration with the best value
// observed; its regret is the incumbent's mean over repeats minus the
// table's best mean. A strategy with noise handling (objective.repeats)
// names its winner on the mean of the evaluations it spent on it instead, all
// counted in the N. Within a generation evaluated as one batch the order of
// evaluations is a hash of the genome key, so that the incumbent after
// exactly N evaluations does not depend on goroutine scheduling.
//
// Usage:
//
//	go run ./bench/searchquality [-tables DIR] [-seeds 100] [-budgets 100,200,1000] [-set before|after|default|all] [-json FILE]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "searchquality:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("searchquality", flag.ContinueOnError)
	dir := fs.String("tables", "../shared/tables", "directory of the *.csv.gz tables")
	only := fs.String("only", "", "comma-separated table names (without .csv.gz) to run; empty: all")
	seeds := fs.Int("seeds", 100, "seeds per cell (1..seeds)")
	budgets := fs.String("budgets", "100,200,1000", "comma-separated evaluation budgets")
	set := fs.String("set", "all", "strategies: before (as shipped before issue 12), after (the new levers), default (the shipped default and random), all")
	jsonOut := fs.String("json", "", "also write every per-seed regret to this JSON file")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "runs in parallel")
	reach := fs.Bool("reach", false, "also report the evaluations the default needs to reach random search's median regret at the largest budget")
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
	strategies, err := strategySet(*set)
	if err != nil {
		return err
	}
	paths, _ := filepath.Glob(filepath.Join(*dir, "*.csv.gz"))
	if *only != "" {
		keep := strings.Split(*only, ",")
		paths = slices.DeleteFunc(paths, func(p string) bool {
			return !slices.Contains(keep, strings.TrimSuffix(filepath.Base(p), ".csv.gz"))
		})
	}
	if len(paths) == 0 {
		return fmt.Errorf("no tables in %s", *dir)
	}
	stand, err := dataset.Load("seed-sum", dataset.Options{Seed: 1, Rows: 100})
	if err != nil {
		return err
	}
	start := time.Now()
	all := map[string]map[string]map[int][]float64{} // table -> strategy -> budget -> per-seed regret
	fmt.Fprintf(out, "Median regret over %d seeds (seeds 1-%d); x: the ratio to random search's median at the same budget.\n", *seeds, *seeds)
	for _, p := range paths {
		t, err := loadTable(p)
		if err != nil {
			return err
		}
		all[t.name] = map[string]map[int][]float64{}
		hitsAt := map[string]float64{}
		for _, st := range strategies {
			all[t.name][st.name] = map[int][]float64{}
			for _, b := range bs {
				var h []float64
				all[t.name][st.name][b], h = regretsHits(t, st, b, *seeds, *workers, stand)
				if b == slices.Max(bs) {
					hitsAt[st.name] = median(h)
				}
			}
		}
		printTable(out, t.name, strategies, bs, all[t.name], hitsAt)
		if *reach {
			printReach(out, t, strategies, bs, *seeds, *workers, stand, all[t.name])
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

// regrets runs a strategy on a table for seeds 1..n at one budget.
func regrets(t *benchTable, st strategy, budget, n, workers int, stand *dataset.Data) []float64 {
	out, _ := regretsHits(t, st, budget, n, workers, stand)
	return out
}

// regretsHits is regrets with each run's cache hits.
func regretsHits(t *benchTable, st strategy, budget, n, workers int, stand *dataset.Data) ([]float64, []float64) {
	out, hits := make([]float64, n), make([]float64, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				var h int
				out[i], h = runOne(t, st, budget, uint64(i+1), stand)
				hits[i] = float64(h)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, hits
}

// runOne is one search; it returns the regret of what it names.
func runOne(t *benchTable, st strategy, budget int, seed uint64, stand *dataset.Data) (regret float64, hits int) {
	ev := fitness.NewEvaluator(stand, fitness.Settings{Epochs: 1}, seed, 1)
	ev.SetBackend(backend{t, seed})
	obs := &recorder{}
	var res *search.Result
	var err error
	ctx := context.Background()
	if st.random {
		res, err = search.RandomNoise(ctx, t.space, ev, budget, 5, seed, st.settings.Noise, obs)
	} else {
		s := st.settings
		if st.sized != nil {
			st.sized(&s, budget)
		}
		s.Seed, s.Budget = seed, budget
		s.Generations = math.MaxInt32
		res, err = search.Evolve(ctx, t.space, ev, s, obs)
	}
	if err != nil {
		panic(fmt.Sprintf("%s on %s, budget %d, seed %d: %v", st.name, t.name, budget, seed, err))
	}
	if st.settings.Noise.Repeats > 1 {
		return t.regret(res.Best[0].Key), obs.hits
	}
	return t.regret(obs.incumbent(budget)), obs.hits
}

// recorder keeps every first evaluation.
type recorder struct {
	mu   sync.Mutex
	recs []fitness.Record
	hits int // cache hits: genomes proposed again, answered without an evaluation
}

func (r *recorder) Evaluated(rec fitness.Record) {
	if rec.Status == fitness.Cached {
		r.mu.Lock()
		r.hits++
		r.mu.Unlock()
		return
	}
	if rec.Repeat > 0 {
		return
	}
	r.mu.Lock()
	r.recs = append(r.recs, rec)
	r.mu.Unlock()
}

func (r *recorder) Generation(search.GenerationStats) {}

// incumbent returns the key of the best value observed in the first n
// evaluations, ordered by generation, then by a hash of the key.
func (r *recorder) incumbent(n int) string {
	h := func(k string) uint64 {
		f := fnv.New64a()
		f.Write([]byte(k))
		return f.Sum64()
	}
	sort.Slice(r.recs, func(i, j int) bool {
		a, b := r.recs[i], r.recs[j]
		if a.Generation != b.Generation {
			return a.Generation < b.Generation
		}
		return h(a.Key) < h(b.Key)
	})
	best, key := math.Inf(1), ""
	for _, rec := range r.recs[:min(n, len(r.recs))] {
		if rec.Fitness < best {
			best, key = rec.Fitness, rec.Key
		}
	}
	return key
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func printTable(out io.Writer, name string, strategies []strategy, bs []int, res map[string]map[int][]float64, hits map[string]float64) {
	fmt.Fprintf(out, "\n### %s\n\n| strategy |", name)
	for _, b := range bs {
		fmt.Fprintf(out, " @%d | x |", b)
	}
	fmt.Fprintf(out, " cache hits @%d |\n| --- |", slices.Max(bs))
	for range bs {
		fmt.Fprint(out, " --- | --- |")
	}
	fmt.Fprint(out, " --- |")
	fmt.Fprintln(out)
	for _, st := range strategies {
		fmt.Fprintf(out, "| %s |", st.name)
		for _, b := range bs {
			m := median(res[st.name][b])
			ratio := "-"
			if rnd, ok := res["random"]; ok {
				if r := median(rnd[b]); r > 0 {
					ratio = fmt.Sprintf("%.2f", m/r)
				}
			}
			fmt.Fprintf(out, " %.5f | %s |", m, ratio)
		}
		fmt.Fprintf(out, " %.0f |\n", hits[st.name])
	}
}

// printReach reports, for the shipped default, the smallest budget of a
// ladder at which its median regret is at most random search's at the
// largest budget.
func printReach(out io.Writer, t *benchTable, strategies []strategy, bs []int, n, workers int, stand *dataset.Data, res map[string]map[int][]float64) {
	rnd, ok := res["random"]
	if !ok {
		return
	}
	top := slices.Max(bs)
	goal := median(rnd[top])
	def, ok := findStrategy(strategies, defaultName)
	if !ok {
		return
	}
	for _, b := range []int{25, 50, 75, 100, 125, 150, 175, 200, 300, 400, 500, 700, 1000} {
		m := median(regrets(t, def, b, n, workers, stand))
		if m <= goal {
			fmt.Fprintf(out, "\n%s reaches random search's median regret at %d (%.5f) with %d evaluations (median %.5f).\n", defaultName, top, goal, b, m)
			return
		}
	}
	fmt.Fprintf(out, "\n%s does not reach random search's median regret at %d (%.5f) within 1000 evaluations.\n", defaultName, top, goal)
}

func findStrategy(ss []strategy, name string) (strategy, bool) {
	for _, s := range ss {
		if s.name == name {
			return s, true
		}
	}
	return strategy{}, false
}
