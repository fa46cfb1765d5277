package fitness

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/evonas/evonas/genome"
)

func TestRungs(t *testing.T) {
	cases := []struct {
		f      Fidelity
		epochs int
		want   []int
	}{
		{Fidelity{MinEpochs: 1, Eta: 3}, 10, []int{1, 3, 9, 10}},
		{Fidelity{MinEpochs: 1, Eta: 3}, 9, []int{1, 3, 9}},
		{Fidelity{MinEpochs: 2, Eta: 2}, 10, []int{2, 4, 8, 10}},
		{Fidelity{MinEpochs: 5, Eta: 3}, 5, []int{5}},
	}
	for _, tc := range cases {
		if got := tc.f.rungs(tc.epochs); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("rungs(%+v, %d) = %v, want %v", tc.f, tc.epochs, got, tc.want)
		}
	}
}

// batchOf is a batch of distinct genomes of mixed quality.
func batchOf(n int) []genome.Genome {
	var gs []genome.Genome
	lrs := []float64{1e-4, 3e-3, 1e-2, 3e-4}
	for i := 0; i < n; i++ {
		gs = append(gs, dense(2+i, "relu", lrs[i%len(lrs)], 16))
	}
	return gs
}

// strip drops what may differ between equal evaluations.
func strip(r Record) Record {
	r.Index, r.TrainS = 0, 0
	return r
}

func TestHalving(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 9, Fidelity: Fidelity{Method: "halving", MinEpochs: 1, Eta: 3}}
	gs := batchOf(9)
	run := func(workers int) []Record {
		ev := NewEvaluator(d, s, 1, workers)
		recs, err := ev.Evaluate(context.Background(), gs, 0)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	recs := run(1)
	full := NewEvaluator(d, Settings{Epochs: 9}, 1, 2)
	var partial, promoted int
	fullSamples, samples := 0, 0
	for i, r := range recs {
		want, _, err := Run(context.Background(), d, full.settings, gs[i], r.Seed)
		if err != nil {
			t.Fatal(err)
		}
		fullSamples += want.Samples
		samples += r.Samples
		if r.Partial {
			partial++
			if r.Epochs >= 9 || r.Stopped == "" || math.IsInf(r.Fitness, 0) {
				t.Errorf("%s: partial record %+v", r.Key, r)
			}
			if len(r.Curve) != r.Epochs {
				t.Errorf("%s: curve of %d points for %d epochs", r.Key, len(r.Curve), r.Epochs)
			}
			continue
		}
		promoted++
		// A candidate that reached the full budget has exactly the record
		// of a training without halving.
		if fmt.Sprint(strip(r)) != fmt.Sprint(strip(want)) {
			t.Errorf("%s: after halving %+v\nwithout %+v", r.Key, strip(r), strip(want))
		}
	}
	// 9 candidates, eta 3: 9 at 1 epoch, 3 at 3, 1 at 9.
	if promoted != 1 || partial != 8 {
		t.Errorf("%d promoted, %d partial; want 1 and 8", promoted, partial)
	}
	if want := 9*1 + 3*2 + 1*6; samples != want*d.Train.N {
		t.Errorf("%d samples, want %d epochs of %d rows", samples, want, d.Train.N)
	}
	if samples >= fullSamples {
		t.Errorf("halving used %d samples, full training %d", samples, fullSamples)
	}
	// The best 1/eta of each rung go on: the three that trained 3 epochs or
	// more were the best after 1, and the one that trained 9 the best of
	// them after 3.
	for _, hi := range recs {
		for _, lo := range recs {
			if hi.Epochs >= 3 && lo.Epochs == 1 && hi.Curve[0] < lo.Curve[0] {
				t.Errorf("%s went on with %v after 1 epoch, %s stopped with %v", hi.Key, hi.Curve[0], lo.Key, lo.Curve[0])
			}
			if hi.Epochs == 9 && lo.Epochs == 3 && hi.Curve[2] < lo.Curve[2] {
				t.Errorf("%s went on with %v after 3 epochs, %s stopped with %v", hi.Key, hi.Curve[2], lo.Key, lo.Curve[2])
			}
		}
	}
	if got := run(3); fmt.Sprint(mapStrip(got)) != fmt.Sprint(mapStrip(recs)) {
		t.Error("halving gave other records with 3 workers")
	}
}

func mapStrip(rs []Record) []Record {
	out := make([]Record, len(rs))
	for i, r := range rs {
		out[i] = strip(r)
	}
	return out
}

func TestMedianStopping(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 6, Fidelity: Fidelity{Method: "median", MinEvaluations: 4, MinEpochs: 2}}
	first, second := batchOf(6), batchOf(14)[6:]
	run := func(workers int) ([]Record, []Record, []float64) {
		ev := NewEvaluator(d, s, 1, workers)
		a, err := ev.Evaluate(context.Background(), first, 0)
		if err != nil {
			t.Fatal(err)
		}
		if m := ev.Medians(); m != nil {
			t.Fatalf("medians %v before the first generation ended", m)
		}
		ev.EndGeneration()
		medians := ev.Medians()
		b, err := ev.Evaluate(context.Background(), second, 1)
		if err != nil {
			t.Fatal(err)
		}
		return a, b, medians
	}
	a, b, medians := run(1)
	for _, r := range a {
		if r.Partial || r.Epochs != 6 {
			t.Errorf("first generation %s stopped early: %+v", r.Key, r)
		}
	}
	if len(medians) != 6 || math.IsNaN(medians[0]) {
		t.Fatalf("medians %v", medians)
	}
	stopped := 0
	for _, r := range b {
		if !r.Partial {
			// Never below the median after min_epochs.
			for e := 2; e < len(r.Curve); e++ {
				if r.Curve[e-1] < medians[e-1] {
					t.Errorf("%s ran on with %v below the median %v at epoch %d", r.Key, r.Curve[e-1], medians[e-1], e)
				}
			}
			continue
		}
		stopped++
		e := r.Epochs
		if e < 2 || r.Curve[e-1] >= medians[e-1] {
			t.Errorf("%s stopped at epoch %d with %v, median %v", r.Key, e, r.Curve[e-1], medians[e-1])
		}
	}
	if stopped == 0 {
		t.Error("median stopping stopped nothing")
	}
	a3, b3, _ := run(3)
	if fmt.Sprint(mapStrip(a3), mapStrip(b3)) != fmt.Sprint(mapStrip(a), mapStrip(b)) {
		t.Error("median stopping gave other records with 3 workers")
	}
}

// TestRetrainPartial: retraining a partial record for the epochs it got
// reproduces it, and the evaluator kept the best net it trained.
func TestRetrainPartial(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 9, Fidelity: Fidelity{Method: "halving", MinEpochs: 1, Eta: 3}}
	ev := NewEvaluator(d, s, 1, 2)
	recs, err := ev.Evaluate(context.Background(), batchOf(9), 0)
	if err != nil {
		t.Fatal(err)
	}
	best := recs[0]
	for _, r := range recs {
		if r.Fitness < best.Fitness || r.Fitness == best.Fitness && r.Key < best.Key {
			best = r
		}
		if !r.Partial {
			continue
		}
		got, _, err := ev.Retrain(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(strip(got)) != fmt.Sprint(strip(r)) {
			t.Errorf("retrained partial record\n%+v\nwant\n%+v", strip(got), strip(r))
		}
	}
	net := ev.TrainedNet(best.Key)
	if net == nil {
		t.Fatalf("the evaluator kept no net for the best, %s", best.Key)
	}
	_, o, _ := ev.Retrain(context.Background(), best)
	if fmt.Sprint(net.Weights()) != fmt.Sprint(o.Net.Weights()) {
		t.Error("the kept net differs from the best genome retrained")
	}
}

// TestHalvingResumed resumes a halving batch interrupted after its first
// rung: the candidates it stopped there were logged, those it promoted
// were not. The resumed batch must promote the same ones, so it ranks them
// among the whole batch again, not among those left to train.
func TestHalvingResumed(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 9, Fidelity: Fidelity{Method: "halving", MinEpochs: 1, Eta: 3}}
	gs := batchOf(9)
	want, err := NewEvaluator(d, s, 1, 2).Evaluate(context.Background(), gs, 0)
	if err != nil {
		t.Fatal(err)
	}
	var logged []Record
	for _, r := range want {
		if r.Partial && r.Epochs == 1 {
			logged = append(logged, r)
		}
	}
	if len(logged) != 6 {
		t.Fatalf("%d candidates stopped after the first rung, want 6", len(logged))
	}
	for _, all := range []bool{false, true} {
		preload := logged
		if all { // interrupted after the batch: nothing to train
			preload = want
		}
		ev := NewEvaluator(d, s, 1, 2)
		ev.Preload(preload)
		got, err := ev.Evaluate(context.Background(), gs, 0)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(mapStrip(got)) != fmt.Sprint(mapStrip(want)) {
			t.Errorf("resumed with %d records logged: got\n%+v\nwant\n%+v", len(preload), mapStrip(got), mapStrip(want))
		}
		if tr, _, samples := ev.Counts(); tr != len(gs) || samples != int64(9*1+3*2+6)*int64(d.Train.N) {
			t.Errorf("resumed with %d records logged: %d trainings of %d samples, want %d of %d", len(preload), tr, samples, len(gs), (9*1+3*2+6)*d.Train.N)
		}
	}
}

// TestMedianSparesReevaluations: a re-evaluation (objective.repeats, or a
// finalist's re-check) trains in full whatever median stopping's
// thresholds are: a genome's mean must not mix stopped trainings with full
// ones (it did: a promising genome's re-evaluations stopped at epoch 2 of
// 9 counted into its mean beside its full first training).
func TestMedianSparesReevaluations(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 6, Fidelity: Fidelity{Method: "median", MinEvaluations: 4, MinEpochs: 2}}
	ev := NewEvaluator(d, s, 1, 2)
	if _, err := ev.Evaluate(context.Background(), batchOf(6), 0); err != nil {
		t.Fatal(err)
	}
	ev.EndGeneration()
	// The genomes a first evaluation stops now are those most likely to
	// fall below the medians on their re-evaluations too.
	recs, err := ev.Evaluate(context.Background(), batchOf(14)[6:], 1)
	if err != nil {
		t.Fatal(err)
	}
	var again []genome.Genome
	for _, r := range recs {
		if r.Partial {
			again = append(again, r.Genome, r.Genome)
		}
	}
	if len(again) == 0 {
		t.Fatal("median stopping stopped nothing: the test tests nothing")
	}
	visits, err := ev.Reevaluate(context.Background(), again, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range visits {
		if r.Partial {
			t.Errorf("%s visit %d: stopped (%s)", r.Key, r.Visit, r.Stopped)
		}
	}
}
