// Package genome describes candidate networks as plain data and the genetic
// operators that evolve them.
//
// A [Genome] is a list of hidden [Layer]s (width, activation, dropout) plus
// the training hyperparameters that the search may tune: learning rate, batch
// size, L2 penalty, optimizer and learning rate schedule. It knows nothing of networks, training or
// of the evolutionary engine: fitness builds a network from a genome, and
// search adapts the operators here to the engine's interface.
//
// A [Space] bounds every gene. [Space.Sample] draws a random genome inside it,
// [Space.Mutate] and [Space.Crossover] change a genome in place and keep it
// inside, and [Space.Contains] says which gene, if any, lies outside. A gene
// whose range has Min == Max, or whose list of choices has one element, is
// fixed: no operator changes it. Width, learning rate, dropout and L2 take
// a range or a list of choices; a choice moves to a neighbouring value or,
// less often, to any other. A space whose every gene is a list or fixed is
// discrete: a [Grid] numbers its genomes, which is how a tabular benchmark
// (package table) keeps one row per genome.
//
// Randomness comes only from the *rand.Rand passed in (math/rand, the version
// the evolutionary engine hands to its genomes), so a run can be repeated
// from its seed. Crossover changes only its receiver and reads the mate,
// because the engine reuses the mate afterwards without marking it for
// re-evaluation.
//
// [Genome.Key] is a canonical text form of everything that affects training,
// suitable as a cache key, and [Distance] is a metric between genomes for
// speciation.
package genome
