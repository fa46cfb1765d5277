// Package network builds and trains the dense feed-forward nets evonas
// searches: a Spec (the inputs, hidden Layers with their activations and
// dropout, the output Head: sigmoid with binary cross-entropy, softmax with
// cross-entropy, or linear with mean squared error), New to build a Net from
// it and a seed, and Train to fit it by minibatch Adam or SGD with early
// stopping, in float64 or float32 (TrainConfig). A Session trains in stages.
// Data are row-major float64 slices (Data); the package knows nothing of
// data sets, genomes or searches. The same net, data and config give
// bit-identical weights; a training that stops being finite ends with a
// *DivergedError, and a cancelled context with its error. A Net marshals to
// JSON exactly.
package network
