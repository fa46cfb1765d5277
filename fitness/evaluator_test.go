package fitness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/genome"
)

// testData is seed-sum cut to 300 rows: 10 features, binary, quick to train.
func testData(t testing.TB) *dataset.Data {
	t.Helper()
	d, err := dataset.Load("seed-sum", dataset.Options{Seed: 1, Rows: 300})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func layer(units int, act string, dropout float64) genome.Layer {
	return genome.Layer{Units: units, Activation: act, Dropout: dropout}
}

// dense returns a genome of one hidden layer trained with adam.
func dense(units int, act string, lr float64, batch int) genome.Genome {
	return genome.Genome{Layers: []genome.Layer{layer(units, act, 0)}, LR: lr, Batch: batch, Optimizer: "adam"}
}

// testGenomes are distinct genomes that train without trouble.
func testGenomes() []genome.Genome {
	return []genome.Genome{
		dense(8, "relu", 0.01, 16),
		dense(4, "tanh", 0.01, 16),
		{Layers: []genome.Layer{layer(6, "relu", 0.1), layer(4, "tanh", 0)}, LR: 0.005, Batch: 32, Optimizer: "adam"},
		{Layers: []genome.Layer{layer(5, "elu", 0)}, LR: 0.05, Batch: 8, L2: 1e-4, Optimizer: "sgd"},
	}
}

// untimed drops what depends on when and where a record was computed.
func untimed(recs []Record) []Record {
	out := make([]Record, len(recs))
	for i, r := range recs {
		r.Index, r.TrainS = 0, 0
		out[i] = r
	}
	return out
}

func TestEvaluateCache(t *testing.T) {
	d := testData(t)
	a, b := dense(8, "relu", 0.01, 16), dense(4, "tanh", 0.01, 16)
	ev := NewEvaluator(d, Settings{Epochs: 2}, 1, 2)
	var seen []Record
	ev.OnRecord = func(r Record) { seen = append(seen, r) } // called one at a time

	recs, err := ev.Evaluate(context.Background(), []genome.Genome{a, b, a}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	for i, want := range []Status{OK, OK, Cached} {
		if recs[i].Status != want {
			t.Errorf("record %d (%s): status %q, want %q", i, recs[i].Key, recs[i].Status, want)
		}
	}
	for i, g := range []genome.Genome{a, b, a} {
		if recs[i].Key != g.Key() {
			t.Errorf("record %d: key %s, want %s (records in the order of the genomes)", i, recs[i].Key, g.Key())
		}
	}
	orig, hit := recs[0], recs[2]
	if orig.Samples <= 0 {
		t.Errorf("trained record: %d samples, want > 0", orig.Samples)
	}
	if hit.Samples != 0 || hit.TrainS != 0 {
		t.Errorf("cache hit: %d samples in %v s, want 0 and 0", hit.Samples, hit.TrainS)
	}
	if hit.Fitness != orig.Fitness || hit.Val != orig.Val || hit.Test != orig.Test ||
		hit.Params != orig.Params || hit.Epochs != orig.Epochs || hit.Seed != orig.Seed {
		t.Errorf("cache hit differs from the original:\ngot  %+v\nwant %+v", hit, orig)
	}
	tr, hits, samples := ev.Counts()
	if tr != 2 || hits != 1 || samples != int64(recs[0].Samples+recs[1].Samples) {
		t.Errorf("Counts() = %d trainings, %d hits, %d samples; want 2, 1, %d", tr, hits, samples, recs[0].Samples+recs[1].Samples)
	}

	again, err := ev.Evaluate(context.Background(), []genome.Genome{b, a}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again {
		if r.Status != Cached || r.Generation != 1 || r.Samples != 0 {
			t.Errorf("second call, record %d: status %q generation %d samples %d; want cached, 1, 0", i, r.Status, r.Generation, r.Samples)
		}
	}
	if again[0].Fitness != recs[1].Fitness || again[1].Fitness != recs[0].Fitness {
		t.Errorf("second call fitnesses %v, %v; want %v, %v", again[0].Fitness, again[1].Fitness, recs[1].Fitness, recs[0].Fitness)
	}
	if tr, hits, _ := ev.Counts(); tr != 2 || hits != 3 {
		t.Errorf("after the second call Counts() = %d trainings, %d hits; want 2, 3", tr, hits)
	}

	// OnRecord saw every record once, numbered in the order it saw them.
	if len(seen) != 5 {
		t.Fatalf("OnRecord saw %d records, want 5", len(seen))
	}
	for i, r := range seen {
		if r.Index != i {
			t.Errorf("record %d seen by OnRecord has index %d", i, r.Index)
		}
	}
}

func TestEvaluateDeterministic(t *testing.T) {
	d := testData(t)
	gs := testGenomes()
	gs = append(gs, gs[1]) // a cache hit too
	eval := func(runSeed uint64, workers int) []Record {
		t.Helper()
		recs, err := NewEvaluator(d, Settings{Epochs: 2}, runSeed, workers).Evaluate(context.Background(), gs, 0)
		if err != nil {
			t.Fatal(err)
		}
		return untimed(recs)
	}
	one, three := eval(5, 1), eval(5, 3)
	if !reflect.DeepEqual(one, three) {
		t.Errorf("1 and 3 workers gave different records:\n%+v\n%+v", one, three)
	}
	other := eval(6, 3)
	for i, r := range one {
		if r.Seed != TrainingSeed(5, r.Key) {
			t.Errorf("%s: seed %d, want TrainingSeed(5, key) = %d", r.Key, r.Seed, TrainingSeed(5, r.Key))
		}
		if other[i].Seed == r.Seed {
			t.Errorf("%s: run seeds 5 and 6 gave the same training seed %d", r.Key, r.Seed)
		}
	}
	if reflect.DeepEqual(one, other) {
		t.Errorf("run seeds 5 and 6 gave the same records")
	}

	seeds := map[uint64]string{}
	for _, key := range []string{"", "8:relu:0|lr=0.01|batch=16|l2=0|opt=adam", "8:relu:0|lr=0.01|batch=32|l2=0|opt=adam",
		"4:tanh:0|lr=0.01|batch=16|l2=0|opt=adam", "|lr=0.001|batch=32|l2=0|opt=adam"} {
		s := TrainingSeed(5, key)
		if prev, ok := seeds[s]; ok {
			t.Errorf("keys %q and %q share training seed %d", prev, key, s)
		}
		seeds[s] = key
		if again := TrainingSeed(5, key); again != s {
			t.Errorf("TrainingSeed(5, %q) = %d, then %d", key, s, again)
		}
	}
}

// regressionData is y = 2*x1 - x2 on a grid, as a CSV file.
func regressionData(t *testing.T) *dataset.Data {
	t.Helper()
	var b strings.Builder
	b.WriteString("x1,x2,y\n")
	for i := range 200 {
		x1, x2 := float64(i%20)/10-1, float64(i/20)/5-1
		fmt.Fprintf(&b, "%g,%g,%g\n", x1, x2, 2*x1-x2)
	}
	path := filepath.Join(t.TempDir(), "linear.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Load(path, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d.Task != dataset.Regression {
		t.Fatalf("%s loaded as %s, want regression", path, d.Task)
	}
	return d
}

func TestFitnessFormula(t *testing.T) {
	seedSum, linear := testData(t), regressionData(t)
	g := dense(16, "relu", 0.01, 16)
	tests := []struct {
		name    string
		data    *dataset.Data
		penalty float64
		params  int // (10+1)*16 + (16+1)*1 for seed-sum; (2+1)*16 + 17 for linear
		metric  string
	}{
		{"accuracy", seedSum, 0, 193, ""},
		{"accuracy with penalty", seedSum, 0.01, 193, "metric"},
		{"r2", linear, 0, 65, ""},
		{"r2 with penalty", linear, 0.05, 65, ""},
		{"cross-entropy", seedSum, 0, 193, "loss"},
		{"mse with penalty", linear, 0.05, 65, "loss"},
		{"balanced accuracy with penalty", seedSum, 0.01, 193, "balanced"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := NewEvaluator(tc.data, Settings{Epochs: 3, ParamPenalty: tc.penalty, Metric: tc.metric}, 1, 1).Evaluate(context.Background(), []genome.Genome{g}, 0)
			if err != nil {
				t.Fatal(err)
			}
			r := recs[0]
			if r.Status != OK {
				t.Fatalf("status %q (%s), want ok", r.Status, r.Reason)
			}
			if r.Params != tc.params {
				t.Errorf("params = %d, want %d", r.Params, tc.params)
			}
			metric := r.Val.Acc
			if tc.data.Task == dataset.Regression {
				metric = r.Val.R2
				if r.Val.Acc != 0 || r.Val.RMSE <= 0 {
					t.Errorf("regression scores %+v: want no accuracy and an RMSE", r.Val)
				}
			} else if r.Val.Acc <= 0 || r.Val.R2 != 0 {
				t.Errorf("classification scores %+v: want an accuracy and no R²", r.Val)
			}
			want := 1 - metric + tc.penalty*math.Log10(float64(tc.params))
			// Only a run that selects on balanced accuracy records it.
			if balanced := tc.metric == BalancedMetric; r.Val.Balanced != balanced || r.Test.Balanced != balanced || !balanced && (r.Val.BalAcc != 0 || r.Test.BalAcc != 0) {
				t.Errorf("val %+v test %+v: want the balanced accuracy recorded %v", r.Val, r.Test, balanced)
			}
			if tc.metric == BalancedMetric {
				if !(r.Val.BalAcc > 0 && r.Val.BalAcc <= 1) || !(r.Test.BalAcc > 0) {
					t.Fatalf("balanced accuracies %v, %v: want them in (0, 1]", r.Val.BalAcc, r.Test.BalAcc)
				}
				metric = r.Val.BalAcc
				want = 1 - metric + tc.penalty*math.Log10(float64(tc.params))
				if m := r.Val.Metric(tc.data.Task); m != r.Val.BalAcc {
					t.Errorf("Metric = %v, want the balanced accuracy %v", m, r.Val.BalAcc)
				}
			}
			if tc.metric == "loss" {
				if r.Val.Loss <= 0 {
					t.Fatalf("validation loss %v, want a positive loss", r.Val.Loss)
				}
				metric, want = r.Val.Loss, r.Val.Loss+tc.penalty*math.Log10(float64(tc.params))
			}
			if r.Fitness != want {
				t.Errorf("fitness = %v, want 1 - %v + %v*log10(%d) = %v", r.Fitness, metric, tc.penalty, tc.params, want)
			}
		})
	}
}

func TestEvaluateFailures(t *testing.T) {
	d := testData(t)
	tests := []struct {
		name   string
		g      genome.Genome
		status Status
		reason string // the reason must mention it
	}{
		{"diverged", genome.Genome{Layers: []genome.Layer{layer(16, "relu", 0)}, LR: 1000, Batch: 8, Optimizer: "adam"}, Diverged, "diverged"},
		{"unknown activation", dense(8, "nope", 0.01, 16), Invalid, "nope"},
		{"zero units", dense(0, "relu", 0.01, 16), Invalid, "0 units"},
		{"zero batch", dense(8, "relu", 0.01, 0), Invalid, "batch"},
		{"unknown optimizer", genome.Genome{Layers: []genome.Layer{layer(8, "relu", 0)}, LR: 0.01, Batch: 16, Optimizer: "rmsprop"}, Invalid, "rmsprop"},
		{"dropout 1", genome.Genome{Layers: []genome.Layer{layer(8, "relu", 1)}, LR: 0.01, Batch: 16, Optimizer: "adam"}, Invalid, "dropout"},
		// Two layers of 4096 need about 1.1 GiB with Adam: over a limit of 64 MiB.
		{"too large", genome.Genome{Layers: []genome.Layer{layer(4096, "relu", 0), layer(4096, "relu", 0)}, LR: 0.01, Batch: 16, Optimizer: "adam"}, Invalid, "over the limit of 64.0 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := NewEvaluator(d, Settings{Epochs: 3, MaxMemory: 64 << 20}, 1, 1)
			recs, err := ev.Evaluate(context.Background(), []genome.Genome{tc.g, tc.g}, 0)
			if err != nil {
				t.Fatalf("Evaluate returned %v, want a record of the failure", err)
			}
			r := recs[0]
			if r.Status != tc.status {
				t.Errorf("status %q, want %q", r.Status, tc.status)
			}
			if !math.IsInf(r.Fitness, 1) {
				t.Errorf("fitness %v, want +Inf", r.Fitness)
			}
			if !strings.Contains(r.Reason, tc.reason) {
				t.Errorf("reason %q does not mention %q", r.Reason, tc.reason)
			}
			if r.Key != tc.g.Key() || r.Seed != TrainingSeed(1, r.Key) {
				t.Errorf("key %q seed %d, want %q and %d", r.Key, r.Seed, tc.g.Key(), TrainingSeed(1, tc.g.Key()))
			}
			// A failure is cached like any result.
			if hit := recs[1]; hit.Status != Cached || !math.IsInf(hit.Fitness, 1) || hit.Reason != r.Reason {
				t.Errorf("repeat: status %q fitness %v reason %q; want cached, +Inf, %q", hit.Status, hit.Fitness, hit.Reason, r.Reason)
			}
			if tr, hits, _ := ev.Counts(); tr != 1 || hits != 1 {
				t.Errorf("Counts() = %d trainings, %d hits; want 1, 1", tr, hits)
			}
		})
	}
}

func TestRecordJSON(t *testing.T) {
	base := Record{Index: 3, Generation: 2, Key: "k", Arch: "[8 relu]", Genome: dense(8, "relu", 0.01, 16),
		Status: OK, Val: Scores{Loss: 0.25, Acc: 0.9}, Test: Scores{Loss: 0.5, Acc: 0.875},
		Params: 97, Epochs: 3, TrainS: 0.125, Samples: 600, Seed: math.MaxUint64}
	tests := []struct {
		name    string
		fitness float64
		json    string // how fitness is written
	}{
		{"infinite", math.Inf(1), `"fitness":null`},
		{"zero", 0, `"fitness":0`},
		{"tenth", 0.1, `"fitness":0.1`},
		{"full precision", 1 - 0.9 + 0.01*math.Log10(97), `"fitness":0.11986771734266245`},
		{"tiny", 5e-324, `"fitness":5e-324`},
		{"negative", -0.5, `"fitness":-0.5`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			r.Fitness = tc.fitness
			if math.IsInf(tc.fitness, 0) {
				r.Status, r.Reason = Diverged, "network: training diverged"
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.json) {
				t.Errorf("JSON %s does not hold %s", b, tc.json)
			}
			if n := strings.Count(string(b), `"fitness"`); n != 1 {
				t.Errorf("JSON %s has %d fitness keys, want 1", b, n)
			}
			var got Record
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, r) {
				t.Errorf("round trip:\ngot  %+v\nwant %+v", got, r)
			}
		})
	}

	t.Run("missing fitness", func(t *testing.T) {
		var got Record
		if err := json.Unmarshal([]byte(`{"key":"k","status":"invalid"}`), &got); err != nil {
			t.Fatal(err)
		}
		if !math.IsInf(got.Fitness, 1) {
			t.Errorf("fitness %v, want +Inf for a record without one", got.Fitness)
		}
	})
}

// TestBalancedAccuracy works a confusion matrix by hand. Rows are the true
// class, columns the predicted one:
//
//	      a  b  c  d
//	a     3  1  0  0   recall 3/4
//	b     0  0  0  0   no rows: left out
//	c     1  0  1  0   recall 1/2
//	d     2  1  0  0   recall 0
//
// Balanced accuracy (3/4 + 1/2 + 0) / 3 = 5/12; plain accuracy 4/9.
func TestBalancedAccuracy(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rows, hits []int
		want       float64
	}{
		{"worked confusion", []int{4, 0, 2, 3}, []int{3, 0, 1, 0}, 5.0 / 12},
		{"every class right", []int{9, 1}, []int{9, 1}, 1},
		{"the majority always", []int{9, 1}, []int{9, 0}, 0.5},
		{"no rows", []int{0, 0}, []int{0, 0}, math.NaN()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BalancedAccuracy(tc.rows, tc.hits)
			if math.Abs(got-tc.want) > 1e-15 || math.IsNaN(got) != math.IsNaN(tc.want) {
				t.Errorf("BalancedAccuracy(%v, %v) = %v, want %v", tc.rows, tc.hits, got, tc.want)
			}
		})
	}
}

// TestScoresJSON: scores never measured are null, not a loss of 0 that a
// reader would take for the best there is, and an accuracy or R² of 0 is
// written, not left out as if the task had no such metric.
func TestScoresJSON(t *testing.T) {
	g := dense(8, "relu", 0.01, 16)
	tests := []struct {
		name      string
		rec       Record
		val, test string
	}{
		{"failed training", Record{Status: Diverged, Reason: "network: training diverged"}, `"val":null`, `"test":null`},
		{"invalid genome", Record{Status: Invalid, Reason: "no"}, `"val":null`, `"test":null`},
		{"no test rows", Record{Status: OK, Val: Scores{Loss: 0.3, Acc: 0.9}}, `"val":{"loss":0.3,"acc":0.9}`, `"test":null`},
		{"accuracy 0", Record{Status: OK, Val: Scores{Loss: 2.5}, Test: Scores{Loss: 2.25}}, `"val":{"loss":2.5,"acc":0}`, `"test":{"loss":2.25,"acc":0}`},
		{"R² 0", Record{Status: OK, Val: Scores{Loss: 1, RMSE: 3}, Test: Scores{Loss: 1, R2: 0.5, RMSE: 2}}, `"val":{"loss":1,"r2":0,"rmse":3}`, `"test":{"loss":1,"r2":0.5,"rmse":2}`},
		{"diverged on its metric", Record{Status: Diverged, Val: Scores{Loss: math.NaN(), Acc: 0.1}}, `"val":{"loss":null,"acc":0.1}`, `"test":null`},
		{"balanced accuracy", Record{Status: OK, Val: Scores{Loss: 0.3, Acc: 0.9, BalAcc: 0.625, Balanced: true}, Test: Scores{Loss: 0.25, Acc: 0.8, BalAcc: 0.5, Balanced: true}},
			`"val":{"loss":0.3,"acc":0.9,"bal_acc":0.625}`, `"test":{"loss":0.25,"acc":0.8,"bal_acc":0.5}`},
		{"balanced accuracy 0", Record{Status: OK, Val: Scores{Loss: 2.5, Balanced: true}}, `"val":{"loss":2.5,"acc":0,"bal_acc":0}`, `"test":null`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.rec
			r.Key, r.Genome, r.Fitness = "k", g, math.Inf(1)
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{tc.val, tc.test} {
				if !strings.Contains(string(b), want) {
					t.Errorf("JSON %s does not hold %s", b, want)
				}
			}
			var got Record
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got.Test != r.Test || (got.Val != r.Val && !math.IsNaN(r.Val.Loss)) {
				t.Errorf("round trip: val %+v test %+v, want %+v %+v", got.Val, got.Test, r.Val, r.Test)
			}
		})
	}
}

func TestEvaluateCancelled(t *testing.T) {
	d := testData(t)
	gs := testGenomes()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// 20 epochs keep the later trainings running when the first one
	// finishes and cancels the batch.
	ev := NewEvaluator(d, Settings{Epochs: 20}, 1, 1)
	var once sync.Once
	ev.OnRecord = func(Record) { once.Do(cancel) }
	_, err := ev.Evaluate(ctx, gs, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Evaluate returned %v, want context.Canceled", err)
	}
	cancelled, _, _ := ev.Counts()
	if cancelled >= len(gs) {
		t.Fatalf("%d of %d genomes trained before the cancellation took effect", cancelled, len(gs))
	}

	// A resume with a live context trains what the cancellation stopped.
	ev.OnRecord = nil
	recs, err := ev.Evaluate(context.Background(), gs, 0)
	if err != nil {
		t.Fatalf("Evaluate after the cancellation returned %v, want the records", err)
	}
	trained := 0
	for i, r := range recs {
		switch r.Status {
		case OK:
			trained++
		case Cached:
		default:
			t.Errorf("genome %d: status %q (%s)", i, r.Status, r.Reason)
		}
	}
	if trained == 0 {
		t.Errorf("the resume trained nothing; %d genomes were stopped by the cancellation", len(gs)-cancelled)
	}
	// Each genome trained once: the cancelled ones again, the others not.
	if tr, _, _ := ev.Counts(); tr != len(gs) {
		t.Errorf("%d trainings in all, want %d", tr, len(gs))
	}
}

func TestTrainMatchesEvaluate(t *testing.T) {
	d := testData(t)
	gs := append(testGenomes(), genome.Genome{Layers: []genome.Layer{layer(16, "relu", 0)}, LR: 1000, Batch: 8, Optimizer: "adam"})
	ev := NewEvaluator(d, Settings{Epochs: 3, Patience: 1, ParamPenalty: 0.01}, 9, 2)
	recs, err := ev.Evaluate(context.Background(), gs, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range gs {
		t.Run(g.Key(), func(t *testing.T) {
			rec, o, err := ev.Train(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			want := recs[i]
			if rec.Fitness != want.Fitness && !(math.IsInf(rec.Fitness, 1) && math.IsInf(want.Fitness, 1)) {
				t.Errorf("fitness %v, Evaluate gave %v", rec.Fitness, want.Fitness)
			}
			if rec.Status != want.Status || rec.Val != want.Val || rec.Test != want.Test || rec.Seed != want.Seed ||
				rec.Params != want.Params || rec.Epochs != want.Epochs || rec.Samples != want.Samples {
				t.Errorf("Train gave\n%+v\nEvaluate gave\n%+v", rec, want)
			}
			if want.Status == OK {
				if o == nil || o.Net == nil {
					t.Fatalf("no trained net for an ok record")
				}
				if o.Val != want.Val || o.Net.Params() != want.Params {
					t.Errorf("outcome val %+v, %d params; record %+v, %d", o.Val, o.Net.Params(), want.Val, want.Params)
				}
			}
		})
	}
	if tr, hits, _ := ev.Counts(); tr != len(gs) || hits != 0 {
		t.Errorf("Counts() = %d trainings, %d hits after Train; want %d, 0 (Train bypasses the cache)", tr, hits, len(gs))
	}
}

// failingBackend fails every job at once, as a backend whose connection
// is closed does.
type failingBackend struct {
	mu    sync.Mutex
	calls int
}

var errBackendGone = errors.New("backend gone")

func (b *failingBackend) Run(context.Context, Job) (Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	return Record{}, errBackendGone
}

// TestEvaluateBackendFails: a backend's failure ends Evaluate with its
// error; it is not taken for a cancelled caller and submitted again.
func TestEvaluateBackendFails(t *testing.T) {
	d := testData(t)
	gs := testGenomes()
	b := &failingBackend{}
	ev := NewEvaluator(d, Settings{Epochs: 1}, 1, 2)
	ev.SetBackend(b)
	done := make(chan error, 1)
	go func() {
		_, err := ev.Evaluate(context.Background(), gs, 0)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errBackendGone) {
			t.Errorf("Evaluate returned %v, want the backend's error", err)
		}
	case <-time.After(5 * time.Second):
		b.mu.Lock()
		n := b.calls
		b.mu.Unlock()
		t.Fatalf("Evaluate still running after 5 s and %d calls of a failing backend", n)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.calls > len(gs) {
		t.Errorf("the backend was called %d times for %d genomes", b.calls, len(gs))
	}
	// The failed evaluations are not cached: a later call tries again.
	if tr, _, _ := ev.Counts(); tr != 0 {
		t.Errorf("%d trainings counted, want 0", tr)
	}
}

// TestPreloadAsTrained: a record answered from an earlier run's log is the
// record its training gives, without what the search added to the log's
// copy (its lineage), so a resumed run's results are the uninterrupted
// run's.
func TestPreloadAsTrained(t *testing.T) {
	d := testData(t)
	g := dense(8, "relu", 3e-3, 16)
	want, err := NewEvaluator(d, Settings{Epochs: 2}, 1, 1).Evaluate(context.Background(), []genome.Genome{g}, 0)
	if err != nil {
		t.Fatal(err)
	}
	logged := want[0]
	logged.Parents, logged.Ops = []string{"8:tanh:0|lr=0.003|batch=16|l2=0|opt=adam"}, []string{"activation"}
	ev := NewEvaluator(d, Settings{Epochs: 2}, 1, 1)
	ev.Preload([]Record{logged})
	got, err := ev.Evaluate(context.Background(), []genome.Genome{g}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(strip(got[0])) != fmt.Sprint(strip(want[0])) {
		t.Errorf("preloaded: got %+v\nwant %+v", strip(got[0]), strip(want[0]))
	}
}
