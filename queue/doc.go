// Package queue runs a search's evaluations on other machines through NATS
// JetStream.
//
// A coordinator (a search whose fitness.Evaluator has a Backend from this
// package) stores its prepared data in the object store EVONAS_DATA under
// their fingerprint, and publishes every training as a job to one
// work-queue stream, EVONAS_JOBS, on a subject of its own
// (evonas.jobs.RUN.JOB). Each run has its own durable pull consumer,
// EVONAS_RUN_<ID>, which its coordinator creates with the run's AckWait
// and deletes at the run's end; a coordinator rings on evonas.runs for
// each new consumer and job. Each worker slot takes one job at a time
// from the runs that may have one, in turn, fetches the job's data by
// fingerprint, sends InProgress heartbeats while it trains,
// writes the result to the key-value bucket EVONAS_RESULTS with a publish
// that expects no earlier one (the bucket's stream also refuses a second
// message per key), so that the first result of a job wins, and only then
// acknowledges the job. The coordinator watches the bucket for its run's
// keys and checks each result (job, genome, training seed, Build) before
// it accepts it.
//
// Job IDs are deterministic: a hash of the run's ID (its config, data and
// seed), the generation and the genome key. A resumed coordinator asks for
// the same jobs, finds the answered ones in the bucket and the pending ones
// in the stream, and publishes only the others.
//
// A job that no worker finishes in its run's MaxDeliver deliveries becomes
// a failed evaluation (infinite fitness, status failed, with the reason)
// and the search goes on. A worker's own trouble (an EnvError: data it
// cannot fetch, another job format, other numbers) is never a candidate's
// result: the job goes to another worker, and when none can run it the
// coordinator stops with a StopError, as it does when its server is gone
// for longer than Options.GiveUp.
//
// Connections have a Role: coordinators create and read everything,
// workers only take jobs, read data and create results (WorkerPermissions).
// Work is a worker process: it connects as a worker, waiting for the
// server, and runs a Worker until stopped. Serve starts an embedded NATS server with JetStream, with a user per
// role and mutual TLS if asked, for those who have none; Conn.Status,
// Conn.Purge and Conn.PurgeData inspect and clean a queue.
package queue
