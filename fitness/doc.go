// Package fitness turns a genome into a score: it builds the dense net the
// genome describes, trains it on a run's splits and returns the fitness a
// search minimises, with a cache of evaluated genomes and a bounded pool of
// concurrent trainings.
package fitness
