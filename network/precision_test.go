package network_test

import (
	"context"
	"math"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

// TestFloat32Accuracy trains the same nets in float32 and float64 over
// several seeds on digits and breast_cancer: the mean test accuracies must
// agree within the noise of the seeds (twice the standard error of the
// paired differences, and at least one test row's worth).
func TestFloat32Accuracy(t *testing.T) {
	cases := []struct {
		data   string
		hidden []int
		epochs int
		batch  int
	}{
		{"digits", []int{64, 64}, 15, 32},
		{"breast_cancer", []int{32}, 30, 32},
	}
	const seeds = 6
	for _, tc := range cases {
		t.Run(tc.data, func(t *testing.T) {
			var acc [2][seeds]float64
			rows := 0
			for s := range seeds {
				seed := uint64(s + 1)
				d, err := dataset.Load(tc.data, dataset.Options{Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				rows = d.Test.N
				spec := network.Spec{Inputs: d.Train.D, Outputs: len(d.Classes), Head: network.Softmax}
				if len(d.Classes) == 2 {
					spec.Outputs, spec.Head = 1, network.Binary
				}
				for _, h := range tc.hidden {
					spec.Hidden = append(spec.Hidden, network.Layer{Units: h, Activation: network.ReLU})
				}
				split := func(s dataset.Split) network.Data { return network.Data{X: s.X, Y: s.Y, N: s.N} }
				for i, p := range []network.Precision{network.Float64, network.Float32} {
					net, err := network.New(spec, seed)
					if err != nil {
						t.Fatal(err)
					}
					cfg := network.TrainConfig{Epochs: tc.epochs, Batch: tc.batch, Seed: seed, Precision: p}
					if _, err := net.Train(context.Background(), split(d.Train), split(d.Val), cfg); err != nil {
						t.Fatal(err)
					}
					m, err := net.Evaluate(split(d.Test))
					if err != nil {
						t.Fatal(err)
					}
					acc[i][s] = m.Accuracy
				}
			}
			var mean, sq [2]float64
			var diffs [seeds]float64
			for s := range seeds {
				diffs[s] = acc[1][s] - acc[0][s]
				for i := range 2 {
					mean[i] += acc[i][s] / seeds
				}
			}
			dm := mean[1] - mean[0]
			for _, d := range diffs {
				sq[0] += (d - dm) * (d - dm)
			}
			se := math.Sqrt(sq[0]/(seeds-1)) / math.Sqrt(seeds)
			tol := max(2*se, 1/float64(rows))
			t.Logf("test accuracy over %d seeds: float64 %.4f, float32 %.4f (per seed %.4f / %.4f); tolerance %.4f", seeds, mean[0], mean[1], acc[0], acc[1], tol)
			if math.Abs(dm) > tol {
				t.Errorf("mean test accuracy float32 %.4f, float64 %.4f: differ by %.4f, more than %.4f", mean[1], mean[0], dm, tol)
			}
			if mean[1] < 0.9 {
				t.Errorf("float32 mean test accuracy %.4f, want >= 0.9", mean[1])
			}
		})
	}
}
