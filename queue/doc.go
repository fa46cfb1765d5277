// Package queue runs a search's evaluations on other machines through NATS
// JetStream.
//
// A coordinator (a search whose fitness.Evaluator has a Backend from this
// package) publishes every training as a job to one work-queue stream,
// EVONAS_JOBS, on a subject of its own (evonas.jobs.RUN.JOB). Workers share
// one durable pull consumer, EVONAS_WORKERS: each worker slot fetches one
// job at a time, sends InProgress heartbeats while it trains, writes the
// result to the key-value bucket EVONAS_RESULTS with Create, so that the
// first result of a job wins, and only then acknowledges the job. The
// coordinator watches the bucket for its run's keys.
//
// Job IDs are deterministic: a hash of the run's ID (its config, data and
// seed), the generation and the genome key. A resumed coordinator asks for
// the same jobs, finds the answered ones in the bucket and the pending ones
// in the stream, and publishes only the others.
//
// A job that no worker finishes in MaxDeliver deliveries becomes a failed
// evaluation (infinite fitness, status failed, with the reason): a worker
// that fails on the last delivery records it itself; a job whose worker
// crashed or stalled every time is caught through JetStream's
// MAX_DELIVERIES advisory, which the stream EVONAS_DEAD keeps until a
// coordinator or worker handles it. The search goes on.
//
// Serve starts an embedded NATS server with JetStream for those who have
// none.
package queue
