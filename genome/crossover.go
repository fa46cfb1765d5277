package genome

import (
	"math/rand"
	"slices"
)

// Crossover recombines g with mate, changing only g. The child's layers are
// g's layers before a cut point followed by mate's layers after another cut
// point, each drawn independently, so the child may be deeper or shallower
// than both parents. Random layers are then dropped, or sampled layers
// inserted, to bring the depth inside s. The learning rate, batch size, L2
// penalty, optimizer and learning rate schedule each come from either
// parent with probability 1/2. With s.SharedWidth, every layer of the child
// takes the width of one of its layers, drawn uniformly.
//
// Crossover never writes to mate, and the child's layers share no memory with
// either parent. With s valid and both parents inside s, the child is inside s.
func (s Space) Crossover(g *Genome, mate Genome, rng *rand.Rand) {
	i := rng.Intn(len(g.Layers) + 1)
	j := rng.Intn(len(mate.Layers) + 1)
	n := i + len(mate.Layers) - j
	child := make([]Layer, 0, max(n, s.Layers.Min))
	child = append(child, g.Layers[:i]...)
	child = append(child, mate.Layers[j:]...)
	for len(child) > s.Layers.Max {
		k := rng.Intn(len(child))
		child = slices.Delete(child, k, k+1)
	}
	for len(child) < s.Layers.Min {
		child = slices.Insert(child, rng.Intn(len(child)+1), s.sampleLayer(rng))
	}
	if s.SharedWidth && len(child) > 1 {
		// The parents' halves may have different widths: the child takes
		// either parent's (or an inserted layer's) for all its layers.
		w := child[rng.Intn(len(child))].Units
		for k := range child {
			child[k].Units = w
		}
	}
	g.Layers = child

	if rng.Intn(2) == 0 {
		g.LR = mate.LR
	}
	if rng.Intn(2) == 0 {
		g.Batch = mate.Batch
	}
	if rng.Intn(2) == 0 {
		g.L2 = mate.L2
	}
	if rng.Intn(2) == 0 {
		g.Optimizer = mate.Optimizer
	}
	// Drawn only where the gene varies, so that runs of spaces without
	// schedules repeat the random sequence they had before the gene.
	if len(s.Schedules) > 1 && rng.Intn(2) == 0 {
		g.Schedule = mate.Schedule
	}
}
