// Package table runs searches on tabular benchmarks: every configuration of
// a discrete search space trained in advance, several times, so that a
// search "evaluates" a candidate by looking its row up and a strategy can be
// measured over a hundred seeds in seconds (FCNet, HPOBench, NAS-Bench).
//
// A [Table] is read from a CSV file, gzip'd or not, whose header names genes
// (units_K, activation_K, dropout_K, depth, width, lr, lr_schedule, batch,
// l2, optimizer) and the repeats of one validation metric (val_acc_K,
// val_mse_K, val_loss_K or val_r2_K; optionally test_<metric>_K, train_s_K
// and params). Its rows are numbered as the genome package's Grid numbers
// the table's space, so a lookup is an integer index.
//
// A [Problem] is a search of a space inside the table's grid. Its
// Evaluator answers from the table under the protocol of the literature:
// the first evaluation of a genome returns one repeat chosen from the run
// seed and the genome's key (the same for every strategy), the cache
// answers later visits at no cost, and a deliberate re-evaluation
// (fitness.Evaluator.Reevaluate) returns the next repeat and costs an
// evaluation. A run's result is its incumbent, the configuration with the
// best observed value, and its regret: the incumbent's mean over the
// repeats minus the best mean of the space (for accuracy and R², best
// minus the incumbent's). [Compare] runs strategies over many seeds and
// summarizes their regrets.
package table
