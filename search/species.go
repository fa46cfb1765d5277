package search

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/genome"
)

// balanced makes every species of a speciator at least min individuals
// strong, the fewest the model's selection needs. eaopt v0.4.2's k-medoids
// rebalancing does not count what it takes from a species, so a species
// can end with fewer than its MinPerCluster and selection fails ("not
// enough individuals to select 2"); populations with duplicate genomes,
// as on a table's grid, make it frequent. balanced runs the speciator
// without a minimum and then moves, into each species short of min, the
// individual of a species with some to spare closest to its medoid.
type balanced struct {
	eaopt.Speciator
	min int
}

func (b balanced) Apply(indis eaopt.Individuals, rng *rand.Rand) ([]eaopt.Individuals, error) {
	species, err := b.Speciator.Apply(indis, rng)
	if err != nil {
		return nil, err
	}
	return rebalance(species, b.min)
}

func distance(a, b eaopt.Individual) float64 {
	return genome.Distance(a.Genome.(*candidate).g, b.Genome.(*candidate).g)
}

// rebalance moves individuals between species until each has at least min,
// deterministically: species in order, each short one taking the
// individual closest to its medoid (the member with the least total
// distance to the others; ties: the first) from the species, in order,
// that can spare one.
func rebalance(species []eaopt.Individuals, min int) ([]eaopt.Individuals, error) {
	n := 0
	for _, s := range species {
		n += len(s)
	}
	if n < min*len(species) {
		return nil, fmt.Errorf("search: %d individuals cannot make %d species of at least %d", n, len(species), min)
	}
	for i := range species {
		for len(species[i]) < min {
			var medoid *eaopt.Individual
			best := math.Inf(1)
			for a := range species[i] {
				var sum float64
				for b := range species[i] {
					sum += distance(species[i][a], species[i][b])
				}
				if sum < best {
					best, medoid = sum, &species[i][a]
				}
			}
			from, which, closest := -1, -1, math.Inf(1)
			for j := range species {
				if j == i || len(species[j]) <= min {
					continue
				}
				for k := range species[j] {
					d := 0.0
					if medoid != nil {
						d = distance(*medoid, species[j][k])
					}
					if d < closest {
						from, which, closest = j, k, d
					}
				}
			}
			moved := species[from][which]
			species[from] = append(species[from][:which:which], species[from][which+1:]...)
			// Clipped: a speciator's species may share one array.
			species[i] = append(species[i][:len(species[i]):len(species[i])], moved)
		}
	}
	return species, nil
}
