// Command paretotable measures evonas's Pareto search (model nsga2, and
// random search) against Optuna's NSGAIISampler on an FCNet table, with
// two objectives: the validation MSE (one repeat drawn per evaluation) and
// the net's parameter count (table.Shapes). Optuna's runs come from
// bench/anchors/pareto_table.py (JSON lines); every hypervolume and test is
// computed here, the same way for all, with evonas's search package: the
// frame has the error linear from 0 to 1 and params on a log10 scale from
// the table's smallest net to its largest, and the reference point 1.1 in
// each normalized objective (search.Frame).
//
// Two hypervolumes per run after `budget` evaluations: "observed", of the
// front of the values the search saw, and "true", the same front (chosen on
// what was seen) with each member's mean MSE over the table's repeats.
//
// evonas runs the shipped config fcnet_pareto (-population and -set change
// it).
//
// Usage: paretotable -table T.csv.gz [-seeds 30] [-budget 200] [-population N] [-set KEY=VALUE] OPTUNA.jsonl...
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

// side is one strategy's runs: per seed, the observed and true hypervolume
// and the front's size.
type side struct {
	Name      string    `json:"name"`
	Observed  []float64 `json:"hypervolume"`
	True      []float64 `json:"true_hypervolume"`
	FrontSize []float64 `json:"front_size"`
	Trainings []float64 `json:"trainings"`
}

func main() {
	path := flag.String("table", "", "an FCNet table (../shared/tables/fcnet_*.csv.gz)")
	seeds := flag.Int("seeds", 30, "seeds 1..N")
	budget := flag.Int("budget", 200, "evaluations per run")
	population := flag.Int("population", 0, "evonas nsga2's population (0: the shipped config fcnet_pareto's)")
	var sets setFlags
	flag.Var(&sets, "set", "KEY=VALUE: a config key for evonas's nsga2 (repeatable), such as evolution.crossover_rate=0.9")
	flag.Parse()
	if err := run(*path, *seeds, *budget, *population, sets, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "paretotable:", err)
		os.Exit(2)
	}
}

// setFlags are -set KEY=VALUE overrides.
type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, " ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

func run(path string, seeds, budget, population int, sets []string, optunaFiles []string) error {
	t, err := table.Load(path)
	if err != nil {
		return err
	}
	shape, ok := table.Shapes[t.Name]
	if !ok || t.Metric != "val_mse" {
		return fmt.Errorf("%s: not an FCNet table (known: %v)", path, keys(table.Shapes))
	}
	p, err := table.NewProblem(t, t.Space())
	if err != nil {
		return err
	}
	objectives := []string{fitness.ErrorObjective, fitness.ParamsObjective}
	lo, hi := math.Inf(1), math.Inf(-1)
	for row := range t.Len() {
		lo, hi = math.Min(lo, float64(t.Params(row))), math.Max(hi, float64(t.Params(row)))
	}
	frame := search.NewFrame(objectives, []float64{0, lo}, []float64{1, hi})

	cfg, err := configs.LoadNamed("fcnet_pareto")
	if err != nil {
		return err
	}
	if population > 0 {
		cfg.Evolution.Population = population
	}
	for _, kv := range sets {
		k, v, _ := strings.Cut(kv, "=")
		if err := configs.Set(&cfg, k, v); err != nil {
			return err
		}
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	strategies := []table.Strategy{table.Evolution("evonas nsga2", cfg.Settings()), table.Random()}
	strategies[1].Name = "evonas random"
	var sides []side
	for _, st := range strategies {
		s := side{Name: st.Name}
		for seed := 1; seed <= seeds; seed++ {
			r, err := p.Run(context.Background(), st, uint64(seed), budget)
			if err != nil {
				return err
			}
			var obs, truth [][]float64
			front := search.Front(r.Records, objectives)
			for _, rec := range r.Records {
				obs = append(obs, []float64{rec.Fitness, float64(rec.Params)})
			}
			for _, rec := range front {
				row, ok := t.Index(rec.Genome)
				if !ok {
					return fmt.Errorf("%s: %s not in the table", st.Name, rec.Key)
				}
				truth = append(truth, []float64{t.Fitness(t.Mean(row)), float64(rec.Params)})
			}
			s.add(frame, obs, truth, len(r.Records))
		}
		sides = append(sides, s)
	}
	sizes := map[float64]bool{}
	for row := range t.Len() {
		sizes[float64(t.Params(row))] = true
	}
	for _, f := range optunaFiles {
		s, err := readOptuna(f, frame, seeds, budget, sizes)
		if err != nil {
			return err
		}
		sides = append(sides, s)
	}
	if !slices.Equal(cfg.Objective.Minimize, objectives) {
		return fmt.Errorf("fcnet_pareto minimizes %v, want %v", cfg.Objective.Minimize, objectives)
	}
	return report(t.Name, shape, frame, budget, seeds, cfg.Evolution.Population, sides)
}

// add scores one run: obs are its evaluations (MSE seen, params) in order,
// truth its front's members with their mean MSE.
func (s *side) add(f search.Frame, obs, truth [][]float64, trainings int) {
	ref := []float64{search.RefMargin, search.RefMargin}
	norm := func(pts [][]float64) [][]float64 {
		out := make([][]float64, len(pts))
		for i, p := range pts {
			out[i] = f.Normalize(p)
		}
		return out
	}
	s.Observed = append(s.Observed, search.Hypervolume(norm(obs), ref))
	s.True = append(s.True, search.Hypervolume(norm(truth), ref))
	s.FrontSize = append(s.FrontSize, float64(len(search.NondominatedSort(uniq(obs))[0])))
	s.Trainings = append(s.Trainings, float64(trainings))
}

func uniq(pts [][]float64) [][]float64 {
	seen := map[[2]float64]bool{}
	var out [][]float64
	for _, p := range pts {
		k := [2]float64{p[0], p[1]}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return [][]float64{{math.Inf(1), math.Inf(1)}}
	}
	return out
}

// readOptuna reads pareto_table.py's lines: per seed, its trials as
// [observed MSE, mean MSE, params].
func readOptuna(path string, f search.Frame, seeds, budget int, sizes map[float64]bool) (side, error) {
	fh, err := os.Open(path)
	if err != nil {
		return side{}, err
	}
	defer fh.Close()
	var s side
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	n := 0
	for sc.Scan() {
		var line struct {
			Seed       int          `json:"seed"`
			Population int          `json:"population"`
			Trials     [][3]float64 `json:"trials"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return side{}, fmt.Errorf("%s: line %d: %v", path, n+1, err)
		}
		n++
		if line.Seed > seeds {
			continue
		}
		s.Name = fmt.Sprintf("optuna nsga2 (population %d)", line.Population)
		trials := line.Trials[:min(budget, len(line.Trials))]
		var obs [][]float64
		for _, tr := range trials {
			if !sizes[tr[2]] {
				return side{}, fmt.Errorf("%s: seed %d: params %v is no net of the table (does --inputs match table.Shapes?)", path, line.Seed, tr[2])
			}
			obs = append(obs, []float64{tr[0], tr[2]})
		}
		// The front chosen on what was seen; its members' true means.
		var truth [][]float64
		for _, i := range frontOf(obs) {
			truth = append(truth, []float64{trials[i][1], trials[i][2]})
		}
		s.add(f, obs, truth, len(trials))
	}
	if err := sc.Err(); err != nil {
		return side{}, err
	}
	if len(s.Observed) != seeds {
		return side{}, fmt.Errorf("%s: %d seeds, want %d", path, len(s.Observed), seeds)
	}
	return s, nil
}

// frontOf returns the indices of the non-dominated points, the first of
// equal points only (a configuration Optuna asked for twice counts once).
func frontOf(pts [][]float64) []int {
	var out []int
	for i, p := range pts {
		keep := true
		for j, q := range pts {
			if search.Dominates(q, p) || j < i && q[0] == p[0] && q[1] == p[1] {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, i)
		}
	}
	return out
}

func report(name string, shape table.Shape, f search.Frame, budget, seeds, population int, sides []side) error {
	fmt.Printf("## %s: %d seeds, %d evaluations each\n\n", name, seeds, budget)
	fmt.Printf("Objectives: validation MSE (one repeat drawn per evaluation) and params (%d inputs -> units_1 -> units_2 -> 1; %s). Hypervolume frame: %s.\n\n", shape.Inputs, shape.Source, f)
	fmt.Println("| strategy | median hypervolume [q1, q3] | median true hypervolume [q1, q3] | median front size | trainings (min) |")
	fmt.Println("| --- | --- | --- | --- | --- |")
	for _, s := range sides {
		o, tr, fs := search.Summarize(s.Observed), search.Summarize(s.True), search.Summarize(s.FrontSize)
		fmt.Printf("| %s | %.5f [%.5f, %.5f] | %.5f [%.5f, %.5f] | %.0f | %.0f |\n", s.Name, o.Median, o.Q1, o.Q3, tr.Median, tr.Q1, tr.Q3, fs.Median, search.Summarize(s.Trainings).Min)
	}
	fmt.Println()
	ev := sides[0]
	for _, s := range sides[1:] {
		for _, m := range []struct {
			name string
			x, y []float64
		}{{"hypervolume", ev.Observed, s.Observed}, {"true hypervolume", ev.True, s.True}} {
			pv, _ := search.MannWhitney(m.x, m.y)
			t := search.Test{Strategy: ev.Name, Vs: s.Name, Metric: "hypervolume", PValue: pv, A12: search.A12(m.x, m.y), N: len(m.x), NVs: len(m.y)}
			sentence := t.Sentence("")
			if m.name != "hypervolume" {
				sentence = strings.Replace(sentence, "on hypervolume", "on "+m.name, 1)
			}
			fmt.Printf("- %s.\n", sentence)
		}
	}
	fmt.Println()
	// The target: evonas's median hypervolume at least each Optuna side's.
	for _, s := range sides[1:] {
		if !strings.HasPrefix(s.Name, "optuna") {
			continue
		}
		for _, m := range []struct {
			name string
			x, y []float64
		}{{"hypervolume", ev.Observed, s.Observed}, {"true hypervolume", ev.True, s.True}} {
			a, b := search.Summarize(m.x).Median, search.Summarize(m.y).Median
			verdict := "met"
			if a < b {
				verdict = "MISSED"
			}
			fmt.Printf("- target (evonas's median %s at least %s's): %s, %.5f against %.5f\n", m.name, s.Name, verdict, a, b)
		}
	}
	fmt.Println()
	b, err := json.Marshal(map[string]any{"table": name, "budget": budget, "seeds": seeds, "population": population, "frame": f, "sides": sides})
	if err != nil {
		return err
	}
	out := os.Getenv("PARETO_JSON")
	if out == "" {
		return nil
	}
	return os.WriteFile(filepath.Join(out, name+".json"), append(b, '\n'), 0o644)
}

func keys(m map[string]table.Shape) []string {
	var k []string
	for n := range m {
		if strings.HasPrefix(n, "fcnet") {
			k = append(k, n)
		}
	}
	sort.Strings(k)
	return k
}
