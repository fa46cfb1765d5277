package search

import (
	"fmt"
	"math"
	"testing"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// TestSurrogatePredict: the surrogate's prediction is the
// distance-weighted mean of the k nearest genomes' fitness, and a genome
// evaluated is known.
func TestSurrogatePredict(t *testing.T) {
	g := func(units int) genome.Genome {
		return genome.Genome{Layers: []genome.Layer{{Units: units, Activation: "relu"}}, LR: 0.01, Batch: 32, Optimizer: "adam"}
	}
	s := &surrogate{k: 2, keys: map[string]bool{}}
	for i, u := range []int{8, 16, 256, 1024} {
		s.gs = append(s.gs, g(u))
		s.fs = append(s.fs, float64(i))
		s.keys[g(u).Key()] = true
	}
	q := g(12) // nearest: 8 and 16
	d8, d16 := genome.Distance(q, g(8)), genome.Distance(q, g(16))
	w8, w16 := 1/(d8+0.1), 1/(d16+0.1)
	want := (w8*0 + w16*1) / (w8 + w16)
	if got := s.predict(q); math.Abs(got-want) > 1e-12 {
		t.Errorf("predict(12 units) = %v, want %v", got, want)
	}
	if !s.known(g(256)) || s.known(q) {
		t.Errorf("known: 256 units %v (want true), 12 units %v (want false)", s.known(g(256)), s.known(q))
	}
}

// TestScreenTrainsBetterChildren: on a problem whose fitness is a smooth
// function of the genes (noisyBackend without noise), the children that
// screening lets train are truly better on average than those trained
// without it, over several seeds, for the same budget; and every training
// is counted (the children screened out are never trained).
func TestScreenTrainsBetterChildren(t *testing.T) {
	var with, without float64
	var nWith, nWithout int
	for seed := range uint64(8) {
		for _, screen := range []int{0, 8} {
			s := noiseSettings()
			s.Seed, s.Budget, s.Noise, s.Screen = seed+1, 80, Noise{}, screen
			res, c := runExact(t, s, 2)
			if res.Trainings != s.Budget {
				t.Fatalf("screen %d: %d trainings, want %d", screen, res.Trainings, s.Budget)
			}
			for _, r := range c.evals {
				if r.Generation == 0 || r.Status == fitness.Cached {
					continue
				}
				if screen > 0 {
					with += trueFitness(r.Genome)
					nWith++
				} else {
					without += trueFitness(r.Genome)
					nWithout++
				}
			}
		}
	}
	t.Logf("mean true fitness of the children trained: %.3f screened, %.3f not", with/float64(nWith), without/float64(nWithout))
	if with/float64(nWith) >= without/float64(nWithout) {
		t.Errorf("mean true fitness of the children trained: %.3f screened, %.3f not; want lower screened", with/float64(nWith), without/float64(nWithout))
	}
}

// TestScreenSameResultsWhateverTheWorkers: screening, with and without
// noise handling, gives the same evaluations with 1 and 3 workers.
func TestScreenSameResultsWhateverTheWorkers(t *testing.T) {
	for _, noise := range []Noise{{}, {Repeats: 3, Finalists: 2}} {
		s := noiseSettings()
		s.Noise, s.Screen = noise, 4
		_, c1 := runNoisy(t, s, 1, false)
		_, c3 := runNoisy(t, s, 3, false)
		if f1, f3 := fmt.Sprint(fingerprint(c1.evals)), fmt.Sprint(fingerprint(c3.evals)); f1 != f3 {
			t.Errorf("repeats %d: 1 worker and 3 workers evaluated differently:\n%v\n%v", noise.Repeats, f1, f3)
		}
	}
}

// runExact is runNoisy on the problem without noise.
func runExact(t *testing.T, s Settings, workers int) (*Result, *collector) {
	t.Helper()
	ev := fitness.NewEvaluator(testData(t), fitness.Settings{Epochs: 1}, s.Seed, workers)
	ev.SetBackend(noisyBackend{sigma: 0})
	c := &collector{}
	res, err := Evolve(t.Context(), testSpace(), ev, s, c)
	if err != nil {
		t.Fatal(err)
	}
	return res, c
}
