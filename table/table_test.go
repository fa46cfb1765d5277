package table

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

func tiny(t *testing.T) *Table {
	t.Helper()
	tb, err := Load(filepath.Join("testdata", "tiny.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func g1(units int, act string, lr float64) genome.Genome {
	return genome.Genome{Layers: []genome.Layer{{Units: units, Activation: act}}, LR: lr, Batch: 32, Optimizer: "adam"}
}

// TestLookup checks the hand-made table: its grid, each row's values and
// means, and that a genome finds its row.
func TestLookup(t *testing.T) {
	tb := tiny(t)
	if tb.Len() != 8 || tb.Repeats != 2 || tb.Metric != "val_acc" || !tb.Maximize() || tb.Name != "tiny" {
		t.Fatalf("table %s: %d rows, %d repeats, metric %s", tb.Name, tb.Len(), tb.Repeats, tb.Metric)
	}
	s := tb.Space()
	want := genome.Space{Layers: genome.IntRange{Min: 1, Max: 1}, Width: genome.IntRange{Min: 8, Max: 16}, WidthChoices: []int{8, 16},
		Activations: []string{"relu", "tanh"}, LRChoices: []float64{0.01, 0.1}, Batches: []int{32}, Optimizers: []string{"adam"}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Space() = %+v\nwant %+v", s, want)
	}
	for _, tc := range []struct {
		g      genome.Genome
		v0, v1 float64
		test0  float64
		params int
		mean   float64
	}{
		{g1(8, "relu", 0.1), 0.5, 0.7, 0.51, 100, 0.6},
		{g1(16, "relu", 0.01), 0.95, 0.85, 0.96, 200, 0.9},
		{g1(16, "tanh", 0.01), 0.7, 0.9, 0.71, 200, 0.8},
	} {
		row, ok := tb.Index(tc.g)
		if !ok {
			t.Fatalf("Index(%s) not found", tc.g.Key())
		}
		if tb.Genome(row).Key() != tc.g.Key() {
			t.Errorf("Genome(Index(%s)) = %s", tc.g.Key(), tb.Genome(row).Key())
		}
		tv, _ := tb.Test(row, 0)
		if tb.Value(row, 0) != tc.v0 || tb.Value(row, 1) != tc.v1 || tv != tc.test0 || tb.Params(row) != tc.params || math.Abs(tb.Mean(row)-tc.mean) > 1e-12 {
			t.Errorf("%s: values %v %v test %v params %d mean %v", tc.g.Key(), tb.Value(row, 0), tb.Value(row, 1), tv, tb.Params(row), tb.Mean(row))
		}
	}
	if _, ok := tb.Index(g1(32, "relu", 0.1)); ok {
		t.Error("a width the table lacks was found")
	}
}

// TestRegret checks the best mean and regrets against the hand-computed
// values, on the whole grid and on a part of it.
func TestRegret(t *testing.T) {
	tb := tiny(t)
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.Best-0.9) > 1e-12 || tb.Genome(p.BestRow).Key() != g1(16, "relu", 0.01).Key() {
		t.Errorf("best %v at %s, want 0.9 at 16 relu lr 0.01", p.Best, tb.Genome(p.BestRow).Key())
	}
	for _, tc := range []struct {
		g    genome.Genome
		want float64
	}{{g1(16, "relu", 0.01), 0}, {g1(8, "relu", 0.01), 0.05}, {g1(16, "tanh", 0.1), 0.8}, {g1(8, "tanh", 0.01), 0.6}} {
		row, _ := tb.Index(tc.g)
		if got := p.Regret(row); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Regret(%s) = %v, want %v", tc.g.Key(), got, tc.want)
		}
	}
	// Only tanh: the best is 16 tanh 0.01 (mean 0.8).
	sub := tb.Space()
	sub.Activations = []string{"tanh"}
	q, err := NewProblem(tb, sub)
	if err != nil {
		t.Fatal(err)
	}
	row, _ := tb.Index(g1(8, "tanh", 0.1))
	if math.Abs(q.Best-0.8) > 1e-12 || math.Abs(q.Regret(row)-0.2) > 1e-12 {
		t.Errorf("tanh only: best %v, regret of 8 tanh 0.1 %v; want 0.8 and 0.2", q.Best, q.Regret(row))
	}
}

// TestProtocol checks the repeat protocol through the evaluator: the first
// evaluation returns the repeat the run seed and key choose, the same in
// any evaluator of that seed; a cache hit costs nothing; a re-evaluation
// returns the next repeat and costs an evaluation.
func TestProtocol(t *testing.T) {
	tb := tiny(t)
	p, _ := NewProblem(tb, tb.Space())
	ctx := context.Background()
	g := g1(8, "relu", 0.1) // repeats 0.5 and 0.7
	row, _ := tb.Index(g)
	seen := map[float64]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		ev := p.Evaluator(seed)
		recs, err := ev.Evaluate(ctx, []genome.Genome{g, g1(16, "tanh", 0.1)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		k := int(fitness.TrainingSeed(seed, g.Key()) % 2)
		if p.Repeat(seed, g.Key(), 0) != k {
			t.Fatalf("Repeat = %d, want %d", p.Repeat(seed, g.Key(), 0), k)
		}
		want := tb.Value(row, k)
		if r := recs[0]; r.Val.Acc != want || r.Fitness != 1-want || r.Status != fitness.OK || r.Regret == nil || math.Abs(*r.Regret-0.3) > 1e-12 {
			t.Fatalf("seed %d: record %+v, want acc %v and regret 0.3", seed, r, want)
		}
		if tv := recs[0].Test.Acc; tv != want+0.01 {
			t.Errorf("test acc %v, want %v (the same repeat)", tv, want+0.01)
		}
		// An accuracy table knows no loss: null, not 0, the best loss there is.
		if b, _ := json.Marshal(recs[0]); !strings.Contains(string(b), `"val":{"loss":null,"acc":`) {
			t.Fatalf("record %s: want the val loss null", b)
		}
		seen[want] = true
		// Another evaluator of the same seed (another strategy) sees the same value.
		again, _ := p.Evaluator(seed).Evaluate(ctx, []genome.Genome{g}, 3)
		if again[0].Val.Acc != want {
			t.Fatalf("seed %d: a second evaluator saw %v, want %v", seed, again[0].Val.Acc, want)
		}
		// The cache answers a second visit without cost.
		hit, _ := ev.Evaluate(ctx, []genome.Genome{g}, 1)
		if n, hits, _ := ev.Counts(); hit[0].Status != fitness.Cached || hit[0].Val.Acc != want || n != 2 || hits != 1 {
			t.Fatalf("second visit: %s %v, counts %d %d", hit[0].Status, hit[0].Val.Acc, n, hits)
		}
		// A re-evaluation gets the other repeat and costs one evaluation.
		re, err := ev.Reevaluate(ctx, []genome.Genome{g}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if n, _, _ := ev.Counts(); re[0].Val.Acc != tb.Value(row, 1-k) || re[0].Visit != 1 || n != 3 {
			t.Fatalf("re-evaluation: %v visit %d, %d evaluations; want %v, 1, 3", re[0].Val.Acc, re[0].Visit, n, tb.Value(row, 1-k))
		}
		// And the cache still answers the first value.
		if hit, _ := ev.Evaluate(ctx, []genome.Genome{g}, 3); hit[0].Val.Acc != want {
			t.Fatalf("after a re-evaluation the cache answers %v, want %v", hit[0].Val.Acc, want)
		}
	}
	if len(seen) != 2 {
		t.Errorf("20 seeds drew repeats %v, want both", seen)
	}
}

// TestReplay follows an incumbent by hand: observed values, not true means,
// choose it, and a re-evaluation's mean can dethrone it.
func TestReplay(t *testing.T) {
	tb := tiny(t)
	p, _ := NewProblem(tb, tb.Space())
	rec := func(g genome.Genome, gen, visit int, obs float64) fitness.Record {
		row, _ := tb.Index(g)
		r := p.Regret(row)
		return fitness.Record{Key: g.Key(), Generation: gen, Visit: visit, Fitness: 1 - obs, Status: fitness.OK, Regret: &r}
	}
	a, b, c := g1(8, "relu", 0.1), g1(8, "relu", 0.01), g1(16, "tanh", 0.01) // regrets 0.3, 0.05, 0.1
	recs := []fitness.Record{
		rec(a, 0, 0, 0.7), // incumbent a (0.7): regret 0.3
		rec(b, 1, 0, 0.8), // b (0.8) better: 0.05
		{Key: c.Key(), Generation: 1, Status: fitness.Cached, Fitness: 0.1}, // a cache hit: not an evaluation
		rec(c, 2, 0, 0.9), // c (0.9) better: 0.1, although its true mean is worse than b's
		rec(c, 3, 1, 0.7), // c's mean falls to 0.8, tied with b seen first: b, 0.05
		rec(a, 3, 1, 0.5), // a's mean 0.6: still b
	}
	run := p.Replay(7, recs, 5)
	want := []float64{0.3, 0.05, 0.1, 0.05, 0.05}
	if len(run.Regret) != len(want) {
		t.Fatalf("Regret = %v, want %v", run.Regret, want)
	}
	for i := range want {
		if math.Abs(run.Regret[i]-want[i]) > 1e-12 {
			t.Fatalf("Regret = %v, want %v", run.Regret, want)
		}
	}
	if run.Incumbent.Key != b.Key() || run.Final() != run.Regret[4] || run.At(100) != run.Regret[4] {
		t.Errorf("incumbent %s, final %v", run.Incumbent.Key, run.Final())
	}
}

func TestCovers(t *testing.T) {
	tb := tiny(t)
	for _, tc := range []struct {
		name   string
		change func(s *genome.Space)
		want   string
	}{
		{"the grid", func(s *genome.Space) {}, ""},
		{"a part", func(s *genome.Space) { s.LRChoices = []float64{0.1} }, ""},
		{"lr outside", func(s *genome.Space) { s.LRChoices = []float64{0.1, 0.3} },
			"search_space.lr: 0.3, but table tiny has only [0.01, 0.1]"},
		{"lr range", func(s *genome.Space) { s.LRChoices, s.LR = nil, genome.FloatRange{Min: 0.01, Max: 0.1} },
			"search_space.lr: a range [0.01, 0.1], but table tiny has the values [0.01, 0.1] (give them as choices)"},
		{"width", func(s *genome.Space) { s.WidthChoices = []int{8, 32} }, "search_space.width: 32, but table tiny has only [8, 16]"},
		{"depth", func(s *genome.Space) { s.Layers.Max = 2 }, "search_space.layers: [1, 2], but table tiny has depths 1 to 1"},
		{"activation", func(s *genome.Space) { s.Activations = []string{"elu"} }, "search_space.activations: elu, but table tiny has only [relu, tanh]"},
		{"batch", func(s *genome.Space) { s.Batches = []int{64} }, "search_space.batch: 64, but table tiny has only [32]"},
		{"schedule", func(s *genome.Space) { s.Schedules = []string{"cosine"} }, "search_space.lr_schedule: cosine, but table tiny has only [const]"},
		{"l2", func(s *genome.Space) { s.L2 = genome.FloatRange{Min: 0, Max: 1e-3} }, "search_space.l2: a range [0, 0.001]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tb.Space()
			tc.change(&s)
			_, err := NewProblem(tb, s)
			if got := errString(err); tc.want == "" && err != nil || !strings.Contains(got, tc.want) || tc.want != "" && err == nil {
				t.Errorf("NewProblem: %q, want %q", got, tc.want)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestReadErrors checks that every malformed table is an *Error naming the
// file, line and column.
func TestReadErrors(t *testing.T) {
	head := "units_1,lr,val_mse_0,val_mse_1\n"
	ok := "8,0.1,1,2\n16,0.1,3,4\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"unknown column", "units_1,colour,val_mse_0\n8,red,1\n", `t.csv:1: column "colour": unknown column`},
		{"no metric", "units_1,lr\n8,0.1\n", "t.csv:1: no metric column"},
		{"two metrics", "units_1,val_mse_0,val_acc_0\n8,1,1\n", `t.csv:1: column "val_acc_0": a second metric`},
		{"missing repeat", "units_1,val_mse_0,val_mse_2\n8,1,1\n", `t.csv:1: column "val_mse_1": missing: repeats must be numbered 0 to 2`},
		{"missing test repeat", "units_1,val_mse_0,val_mse_1,test_mse_0\n8,1,1,1\n", `t.csv:1: column "test_mse_1": missing`},
		{"duplicate column", "lr,lr,val_mse_0\n0.1,0.1,1\n", `t.csv:1: column "lr": duplicate column`},
		{"missing layer column", "units_2,val_mse_0\n8,1\n", `t.csv:1: column "units_1": missing`},
		{"short row", head + "8,0.1,1,2\n16,0.1,3\n", "t.csv:3: 3 fields, the header has 4"},
		{"long row", head + "8,0.1,1,2,5\n", "t.csv:2: 5 fields, the header has 4"},
		{"empty repeat", head + "8,0.1,1,\n", `t.csv:2: column "val_mse_1": empty`},
		{"not a number", head + "8,0.1,1,x\n", `t.csv:2: column "val_mse_1": "x" is not a number`},
		{"bad width", head + "8,0.1,1,2\nwide,0.1,1,2\n", `t.csv:3: column "units_1": value "wide": want an integer >= 1`},
		{"bad width again", head + "8,0.1,1,2\n0,0.1,1,2\n16,0.1,1,2\n0,0.2,1,2\n", `t.csv:3: column "units_1": value "0": want an integer >= 1`},
		{"bad activation", "activation_1,val_mse_0\nrelu,1\nrelux,1\n", `t.csv:3: column "activation_1": value "relux": want one of relu`},
		{"bad depth", "depth,width,val_mse_0\n1,8,1\n-1,8,1\n", `t.csv:3: column "depth": value "-1": want an integer >= 0`},
		{"bad lr", head + "8,0.1,1,2\n8,-0.1,1,2\n", `t.csv:3: column "lr": value "-0.1": want a learning rate above 0`},
		{"zero lr", head + "8,0,1,2\n", `t.csv:2: column "lr": value "0": want a learning rate above 0`},
		{"bad dropout", "units_1,dropout_1,val_mse_0\n8,0,1\n8,1,1\n", `t.csv:3: column "dropout_1": value "1": want a dropout rate in [0, 1)`},
		{"bad l2", "units_1,l2,val_mse_0\n8,0,1\n8,-1e-4,1\n", `t.csv:3: column "l2": value "-1e-4": want an l2 of at least 0`},
		{"bad batch", "units_1,batch,val_mse_0\n8,16,1\n8,x,1\n", `t.csv:3: column "batch": value "x": want an integer >= 1`},
		{"bad optimizer", "units_1,optimizer,val_mse_0\n8,adam,1\n8,adamx,1\n", `t.csv:3: column "optimizer": value "adamx": want one of`},
		{"bad schedule", "units_1,lr_schedule,val_mse_0\n8,const,1\n8,step,1\n", `t.csv:3: column "lr_schedule": value "step": want one of`},
		{"duplicate row", head + ok + "8,0.1,5,6\n", "t.csv:4: the same configuration as line 2"},
		{"hole", head + "8,0.1,1,2\n16,0.01,3,4\n", "t.csv: the grid has holes: 2 of its 4 configurations have no row, such as units_1=8, lr=0.01"},
		{"no rows", head, "t.csv: no rows"},
		{"depth beyond layers", "depth,units_1,val_mse_0\n1,8,1\n2,8,1\n", `t.csv:3: column "depth": 2, beyond the per-layer columns (1 to 1)`},
		{"cell beyond depth", "depth,units_1,units_2,val_mse_0\n1,8,8,1\n", `t.csv:2: column "units_2": a value beyond the row's depth 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "t.csv")
			var te *Error
			if !errors.As(err, &te) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read: %v, want an *Error with %q", err, tc.want)
			}
		})
	}
	if _, err := Read(strings.NewReader(head+ok), "t.csv"); err != nil {
		t.Errorf("the well-formed table: %v", err)
	}
}

// TestVariableDepth reads a table of depths 0 to 2 with per-layer columns
// left empty beyond each row's depth, gzip'd.
func TestVariableDepth(t *testing.T) {
	var b strings.Builder
	b.WriteString("depth,units_1,units_2,val_loss_0\n0,,,1\n")
	for _, u := range []string{"4", "8"} {
		b.WriteString("1," + u + ",,2\n")
	}
	for _, u := range []string{"4", "8"} {
		for _, v := range []string{"4", "8"} {
			b.WriteString("2," + u + "," + v + ",3\n")
		}
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte(b.String()))
	w.Close()
	tb, err := Read(&z, "v.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 7 || tb.Name != "v" || tb.Space().Layers != (genome.IntRange{Min: 0, Max: 2}) {
		t.Fatalf("%d rows, layers %+v", tb.Len(), tb.Space().Layers)
	}
	g := genome.Genome{Layers: []genome.Layer{{Units: 8, Activation: "relu"}, {Units: 4, Activation: "relu"}}, LR: 1e-3, Batch: 32, Optimizer: "adam"}
	if row, ok := tb.Index(g); !ok || tb.Mean(row) != 3 {
		t.Errorf("Index(%s) = %d, %v", g.Key(), row, ok)
	}
}

// TestShippedTables loads the public tables of ../shared when they are
// there and checks their best means against their README.
func TestSharedTables(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "tables")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no ../shared/tables")
	}
	for name, best := range map[string]float64{"fcnet_protein_structure": 0.2214, "fcnet_parkinsons_telemonitoring": 0.0067} {
		tb, err := Load(filepath.Join(dir, name+".csv.gz"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewProblem(tb, tb.Space())
		if err != nil {
			t.Fatal(err)
		}
		if tb.Len() != 62208 || tb.Repeats != 4 || math.Abs(p.Best-best) > 5e-5 {
			t.Errorf("%s: %d rows, %d repeats, best %v; want 62208, 4, %v", name, tb.Len(), tb.Repeats, p.Best, best)
		}
	}
}

// TestShippedTablesMatchTheirConfigs: each table shipped with training
// times covers exactly the grid of the config of its name, every
// configuration with its repeats and their training seconds.
func TestShippedTablesMatchTheirConfigs(t *testing.T) {
	for name, repeats := range map[string]int{"spirals_mlp": 5, "digits_mlp": 3, "satellite_mlp": 3} {
		tb, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := configs.LoadNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		n, err := cfg.Space().GridSize()
		if err != nil || float64(tb.Len()) != n || tb.Repeats != repeats || tb.Covers(cfg.Space()) != nil || !tb.HasTrainSeconds() {
			t.Errorf("%s: %d rows x %d repeats, train_s %v, covers the config's grid of %v: %v; want %d repeats",
				name, tb.Len(), tb.Repeats, tb.HasTrainSeconds(), n, tb.Covers(cfg.Space()), repeats)
			continue
		}
		for row := range tb.Len() {
			for k := range repeats {
				if s := tb.TrainSeconds(row, k); !(s > 0) {
					t.Fatalf("%s: row %d repeat %d trained in %v s", name, row, k, s)
				}
			}
		}
	}
}
