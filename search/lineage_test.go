package search

import (
	"fmt"
	"slices"
	"sort"
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

// TestLineageWhateverTheWorkers: every model records the same parents and
// operators with one worker and with three.
func TestLineageWhateverTheWorkers(t *testing.T) {
	d := testData(t)
	for _, model := range []string{"generational", "steady_state", "down_to_size", "ring", "mutation_only", "regularized"} {
		t.Run(model, func(t *testing.T) {
			s := testSettings()
			s.Model = model
			lineages := func(workers int) []string {
				_, c := run(t, d, s, workers, nil)
				var out []string
				made := 0
				for _, r := range c.evals {
					out = append(out, fmt.Sprintf("g%d %s %s parents=%v ops=%v", r.Generation, r.Key, r.Status, r.Parents, r.Ops))
					if len(r.Parents) > 0 {
						made++
					}
					if model == "mutation_only" && slices.Contains(r.Ops, "crossover") {
						t.Errorf("mutation only, yet %s was made by %v", r.Key, r.Ops)
					}
				}
				if made == 0 {
					t.Errorf("%d workers: no record has parents", workers)
				}
				sort.Strings(out)
				return out
			}
			l1, l3 := lineages(1), lineages(3)
			if !slices.Equal(l1, l3) {
				t.Fatalf("1 worker and 3 workers recorded different lineages:\n%v\n%v", l1, l3)
			}
		})
	}
}

// TestLineageAsync: asynchronous regularized evolution records each
// child's one parent, trained before it, and its mutation.
func TestLineageAsync(t *testing.T) {
	s := testSettings()
	s.Model = AsyncModel
	_, c := run(t, testData(t), s, 1, nil)
	seen := map[string]bool{}
	children := 0
	for i, r := range c.evals {
		if i < s.Population && len(r.Parents) > 0 {
			t.Errorf("initial sample %s has parents %v", r.Key, r.Parents)
		}
		if len(r.Parents) > 0 {
			children++
			if len(r.Parents) != 1 || !seen[r.Parents[0]] || len(r.Ops) == 0 || slices.Contains(r.Ops, "crossover") {
				t.Errorf("%s: parents %v (trained before: %v), ops %v", r.Key, r.Parents, len(r.Parents) == 1 && seen[r.Parents[0]], r.Ops)
			}
		}
		seen[r.Key] = true
	}
	if children == 0 {
		t.Error("no child has parents")
	}
}
