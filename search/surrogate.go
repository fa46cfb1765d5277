package search

import (
	"math"
	"sort"

	"github.com/evonas/evonas/genome"
)

// surrogate predicts a genome's fitness from the genomes evaluated so far:
// the mean fitness of its k nearest by genome.Distance, each weighted by
// 1 / (distance + 0.1), a failed one counted as failedFitness (regularized
// evolution's screening, Settings.Screen). Ties in distance go to the
// genome first in key order.
type surrogate struct {
	gs   []genome.Genome
	fs   []float64
	keys map[string]bool
	k    int
}

// surrogate returns a surrogate of the evaluations so far (with noise
// handling, each genome's mean), in key order, so that it does not depend
// on the order trainings finished in; nil while fewer than k genomes are
// known. It is called between batches, when every training asked for has
// finished, and builds one only when an evaluation was counted since the
// last: on a table most batches are all cache hits, and rebuilding for
// each took most of a screened search's time.
func (r *runner) surrogate() *surrogate {
	r.mu.Lock()
	n := r.scoredN
	r.mu.Unlock()
	if r.noise != nil {
		n = r.noise.counted
	}
	if !r.surBuilt || n != r.surN {
		r.sur, r.surN, r.surBuilt = r.newSurrogate(), n, true
	}
	return r.sur
}

// newSurrogate makes the surrogate of the evaluations so far.
func (r *runner) newSurrogate() *surrogate {
	s := &surrogate{keys: map[string]bool{}, k: 5}
	scored := map[string]scoredGenome{}
	if r.noise != nil {
		for k, m := range r.noise.means {
			scored[k] = scoredGenome{m.rec.Genome, m.mean()}
		}
	} else {
		r.mu.Lock()
		for k, sg := range r.scored {
			scored[k] = sg
		}
		r.mu.Unlock()
	}
	keys := make([]string, 0, len(scored))
	for k := range scored {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.gs = append(s.gs, scored[k].g)
		s.fs = append(s.fs, eaoptFitness(scored[k].f))
		s.keys[k] = true
	}
	if len(s.gs) < s.k {
		return nil
	}
	return s
}

// scoredGenome is a genome and the fitness of its first evaluation.
type scoredGenome struct {
	g genome.Genome
	f float64
}

// known reports whether g was evaluated.
func (s *surrogate) known(g genome.Genome) bool { return s.keys[g.Key()] }

// predict is g's predicted fitness.
func (s *surrogate) predict(g genome.Genome) float64 {
	type nb struct {
		d float64
		i int
	}
	near := make([]nb, 0, s.k+1)
	for i, h := range s.gs {
		d := genome.Distance(g, h)
		if len(near) == s.k && d >= near[s.k-1].d {
			continue
		}
		j := sort.Search(len(near), func(j int) bool { return d < near[j].d })
		near = append(near, nb{})
		copy(near[j+1:], near[j:])
		near[j] = nb{d, i}
		if len(near) > s.k {
			near = near[:s.k]
		}
	}
	var sum, w float64
	for _, n := range near {
		wt := 1 / (n.d + 0.1)
		sum += wt * s.fs[n.i]
		w += wt
	}
	if w == 0 {
		return math.Inf(1)
	}
	return sum / w
}
