package search

import (
	"testing"
)

// TestLineage checks every child's parents and operators: parents are
// genomes evaluated in an earlier generation, a crossover names two, a
// mutation alone one, and the initial population none.
func TestLineage(t *testing.T) {
	s := testSettings()
	s.Generations = 4
	_, c := run(t, testData(t), s, 2, nil)
	gen := map[string]int{} // key: the first generation that evaluated it
	withParents, crossed := 0, 0
	for _, r := range c.evals {
		if _, ok := gen[r.Key]; !ok {
			gen[r.Key] = r.Generation
		}
		if r.Generation == 0 {
			if len(r.Parents) != 0 || len(r.Ops) != 0 {
				t.Errorf("initial genome %s: parents %v, ops %v, want none", r.Key, r.Parents, r.Ops)
			}
			continue
		}
		if len(r.Parents) == 0 {
			continue // an elite or a survivor: evaluated before, a cache hit
		}
		withParents++
		if len(r.Ops) == 0 {
			t.Errorf("%s: parents %v but no operators", r.Key, r.Parents)
		}
		if r.Ops[0] == "crossover" {
			crossed++
			if len(r.Parents) != 2 {
				t.Errorf("%s: crossover with parents %v, want 2", r.Key, r.Parents)
			}
		} else if len(r.Parents) != 1 {
			t.Errorf("%s: mutation %v with parents %v, want 1", r.Key, r.Ops, r.Parents)
		}
		for _, p := range r.Parents {
			g, ok := gen[p]
			if !ok || g >= r.Generation {
				t.Errorf("%s (generation %d): parent %s not evaluated in an earlier generation", r.Key, r.Generation, p)
			}
		}
		if len(r.Parents) == 1 && r.Parents[0] == r.Key {
			t.Errorf("%s: its own parent after %v", r.Key, r.Ops)
		}
	}
	if withParents == 0 || crossed == 0 {
		t.Errorf("%d children with parents, %d by crossover: want some of each", withParents, crossed)
	}
}
