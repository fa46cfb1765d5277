package fitness

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

func TestArch(t *testing.T) {
	for _, tc := range []struct {
		layers []network.Layer
		want   string
	}{
		{nil, "[]"},
		{[]network.Layer{{Units: 64, Activation: network.ReLU}}, "[64 relu]"},
		{[]network.Layer{{Units: 8, Activation: network.Tanh, Dropout: 0.25}, {Units: 4, Activation: network.ReLU}}, "[8 tanh d0.25, 4 relu]"},
	} {
		if got := Arch(tc.layers); got != tc.want {
			t.Errorf("Arch(%v) = %q, want %q", tc.layers, got, tc.want)
		}
	}
}

// TestNewTrainReportEmptySplits: a split without rows has no scores in
// the report, its loss included, rather than zeros that read as perfect.
func TestNewTrainReportEmptySplits(t *testing.T) {
	d := &dataset.Data{Name: "iris", Task: dataset.Multiclass, Classes: []string{"a", "b"}}
	d.Train.N, d.Train.D = 10, 2
	net, err := network.New(Spec(d, nil), 1)
	if err != nil {
		t.Fatal(err)
	}
	o := &Outcome{Net: net, Val: Scores{Loss: 0.5, Acc: 0.75}, Test: Scores{Loss: 0.6, Acc: 0.7}}
	for _, tc := range []struct {
		name       string
		val, test  int
		wantKeys   []string
		absentKeys []string
	}{
		{"both", 5, 5, []string{`"seed":"17574229228095670314"`, `"val_loss":0.5`, `"val_acc":0.75`, `"test_acc":0.7`}, nil},
		{"no validation rows", 0, 5, []string{`"test_acc":0.7`}, []string{"val_loss", "val_acc"}},
		{"no test rows", 5, 0, []string{`"val_loss":0.5`, `"val_acc":0.75`}, []string{"test_acc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d.Val.N, d.Test.N = tc.val, tc.test
			b, err := json.Marshal(NewTrainReport(d, nil, o, 17574229228095670314))
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range tc.wantKeys {
				if !strings.Contains(string(b), k) {
					t.Errorf("got %s, want %s in it", b, k)
				}
			}
			for _, k := range tc.absentKeys {
				if strings.Contains(string(b), `"`+k+`"`) {
					t.Errorf("got %s, want no %s", b, k)
				}
			}
		})
	}
}
