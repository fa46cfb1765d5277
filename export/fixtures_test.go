package export

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// fixture is an exported model and held-out rows it has never seen.
type fixture struct {
	name    string
	model   *model.Model
	heldOut *dataset.Table
	csv     string // heldOut as CSV text
}

// table returns rows of a mixed table: numeric a, b, c, a text column color
// and a target of the task's kind. extra adds a color no training row has.
func table(t *testing.T, task dataset.Task, rows int, seed uint64, extra bool) (*dataset.Table, string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	colors := []string{"red", "green", "blue"}
	var sb strings.Builder
	sb.WriteString("a,color,b,c,target\n")
	for i := range rows {
		a, b, c := rng.NormFloat64()*3+1, rng.Float64()*40-10, float64(rng.IntN(5))
		color := colors[rng.IntN(3)]
		if extra && i%7 == 3 {
			color = "violet"
		}
		var y string
		switch task {
		case dataset.Binary:
			y = map[bool]string{true: "yes", false: "no"}[a+b/10+rng.NormFloat64() > 2]
		case dataset.Multiclass:
			y = []string{"lo", "mid", "hi"}[min(2, max(0, int((a+3)/2.5)))]
		default:
			y = fmt.Sprintf("%.4f", 250+30*a-2*b+map[string]float64{"red": 15, "green": -5}[color]+rng.NormFloat64())
		}
		fmt.Fprintf(&sb, "%.6g,%s,%.6g,%g,%s\n", a, color, b, c, y)
	}
	tab, err := dataset.ParseCSV(strings.NewReader(sb.String()), "fixture-"+string(task)+".csv")
	if err != nil {
		t.Fatal(err)
	}
	return tab, sb.String()
}

// fixtures returns one model per task and activation, with random weights
// spread wide enough to reach every activation's curved part, and one with
// three hidden layers of mixed activations and dropout.
func fixtures(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	tasks := []dataset.Task{dataset.Binary, dataset.Multiclass, dataset.Regression}
	for ti, task := range tasks {
		train, _ := table(t, task, 200, uint64(10+ti), false)
		d, err := dataset.Prepare(train, dataset.Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if d.Task != task {
			t.Fatalf("fixture task %s, want %s", d.Task, task)
		}
		head, outputs := network.Regression, 1
		switch task {
		case dataset.Binary:
			head = network.Binary
		case dataset.Multiclass:
			head, outputs = network.Softmax, len(d.Classes)
		}
		held, text := table(t, task, 60, uint64(20+ti), true)
		layers := [][]network.Layer{}
		for a := network.ReLU; a <= network.Linear; a++ {
			layers = append(layers, []network.Layer{{Units: 12, Activation: a}, {Units: 7, Activation: a}})
		}
		layers = append(layers, []network.Layer{
			{Units: 9, Activation: network.ELU, Dropout: 0.3},
			{Units: 6, Activation: network.Sigmoid},
			{Units: 5, Activation: network.LeakyReLU, Dropout: 0.1},
		})
		for li, hidden := range layers {
			spec := network.Spec{Inputs: len(d.Features), Hidden: hidden, Outputs: outputs, Head: head}
			net, err := network.New(spec, uint64(100*ti+li))
			if err != nil {
				t.Fatal(err)
			}
			w := net.Weights()
			for i := range w {
				w[i] *= 2
				if i%5 == 0 {
					w[i] += 0.3 // nonzero biases too
				}
			}
			if err := net.SetWeights(w); err != nil {
				t.Fatal(err)
			}
			m, err := model.New(d.Name, d.Prep, net, nil)
			if err != nil {
				t.Fatal(err)
			}
			name := string(task) + "/" + hidden[0].Activation.String()
			if len(hidden) == 3 {
				name = string(task) + "/mixed"
			}
			out = append(out, fixture{name: name, model: m, heldOut: held, csv: text})
		}
	}
	return out
}

// want returns evonas's own answer for the held-out rows: the class
// probabilities, or the value, row after row; and how many per row.
func (f fixture) want(t *testing.T) (vals []float64, cols int) {
	t.Helper()
	preds, err := f.model.Predict(f.heldOut)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range preds {
		if p.Probs == nil {
			vals = append(vals, p.Value)
			cols = 1
			continue
		}
		vals = append(vals, p.Probs...)
		cols = len(p.Probs)
	}
	return vals, cols
}

// tolerance is how far a float32 runtime may be from evonas's float64
// answer: 1e-5 for probabilities; for regression 1e-5 relative to the
// target's size (its mean and scale, or the value where larger), since the
// graph ends in y*scale + mean and float32 carries 7 significant digits of
// each term.
func (f fixture) tolerance(want float64) float64 {
	p := f.model.Prep
	if p.Task != dataset.Regression {
		return 1e-5
	}
	return 1e-5 * max(1, abs(want), abs(p.TargetMean), p.TargetScale)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// compare fails t unless got matches want within tolerance.
func (f fixture) compare(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	worst, at := 0.0, 0
	for i := range want {
		if d := abs(got[i] - want[i]); d/f.tolerance(want[i]) > worst/f.tolerance(want[at]) || i == 0 {
			worst, at = d, i
		}
	}
	if worst > f.tolerance(want[at]) {
		t.Errorf("value %d: got %.9g, want %.9g (off by %.3g, tolerance %.3g)", at, got[at], want[at], worst, f.tolerance(want[at]))
	}
}

// oddFixture is a binary model whose names need quoting everywhere: quotes,
// backslashes, a newline and non-ASCII in column names and categories.
func oddFixture(t *testing.T) fixture {
	t.Helper()
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write([]string{`x """q\`, "c\\at\ny", "é"})
	cats := []string{`"""`, `a\b`, "\"li\nne\"", "naïve"}
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 80 {
		x := rng.NormFloat64()
		y := map[bool]string{true: `"'oui'"`, false: `non\`}[x+float64(i%len(cats))/2 > 1]
		w.Write([]string{fmt.Sprintf("%.5g", x), cats[i%len(cats)], y})
	}
	w.Flush()
	tab, err := dataset.ParseCSV(strings.NewReader(sb.String()), "odd.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Prepare(tab, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	net, err := network.New(network.Spec{Inputs: len(d.Features), Hidden: []network.Layer{{Units: 5, Activation: network.Tanh}}, Outputs: 1, Head: network.Binary}, 9)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(`odd """ name\`, d.Prep, net, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{name: "odd names", model: m, heldOut: tab, csv: sb.String()}
}
