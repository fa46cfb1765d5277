// Package search runs architecture searches: evolution through eaopt
// (Evolve, with the models, islands, speciation and stopping rules that
// Settings choose) and random search (Random, RandomNoise), each scoring
// genomes of a genome.Space with a fitness.Evaluator and returning a Result
// whose hall of fame holds the best architectures, best first. The same seed
// gives the same search whatever the evaluator's number of workers (the
// asynchronous model aside). Nothing here prints: an Observer sees every
// evaluation and generation.
//
// It also analyses searches: Analyze compares strategies run under the
// same seeds at an equal budget (Mann-Whitney U tests, A12 effect sizes,
// Wilcoxon signed-rank tests of the runs paired by seed), and Front,
// NondominatedSort, Crowding and Hypervolume serve searches of several
// objectives.
//
// Package run wraps a search in a run directory (its logs, checkpoints,
// resume); this package holds a search in memory only.
package search
