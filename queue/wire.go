package queue

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"

	"github.com/evonas/evonas/fitness"
)

// The JetStream objects evonas uses. Every coordinator and worker of a
// NATS account shares them.
const (
	JobStream         = "EVONAS_JOBS"    // work-queue stream of jobs
	JobSubjects       = "evonas.jobs.>"  // its subjects: evonas.jobs.RUN.JOB
	RunConsumerPrefix = "EVONAS_RUN_"    // + the run ID: a run's durable pull consumer of its jobs
	ResultBucket      = "EVONAS_RESULTS" // key-value bucket of results, key RUN.JOB
	DeadStream        = "EVONAS_DEAD"    // MAX_DELIVERIES advisories of the run consumers
	SeenBucket        = "EVONAS_SEEN"    // key-value bucket of the workers seen lately, key: the worker's name
	reaperConsumer    = "EVONAS_REAPER"  // the durable consumer of DeadStream

	// legacyConsumer is the one consumer every run shared before each run
	// had its own; a coordinator deletes it.
	legacyConsumer = "EVONAS_WORKERS"

	jobPrefix = "evonas.jobs."
	// advisorySubjects are where JetStream reports a job delivered
	// MaxDeliver times without an acknowledgement, for every consumer of
	// the job stream.
	advisorySubjects = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + JobStream + ".*"
	// runsSubject is where a coordinator says that its run has a new
	// consumer or a new job, so that idle workers look at once (core
	// NATS, the run ID as body).
	runsSubject = "evonas.runs"
)

// RunConsumer is the name of a run's consumer.
func RunConsumer(runID string) string { return RunConsumerPrefix + runID }

// runOfConsumer returns the run ID of a run consumer's name.
func runOfConsumer(name string) (string, bool) {
	id, ok := strings.CutPrefix(name, RunConsumerPrefix)
	return id, ok && id != ""
}

// wireVersion is the format of Job and Result. A worker refuses a job of
// another version. Version 2: Settings carry the training precision.
// Version 3: the data by fingerprint from DataStore, the build, the run's
// MaxDeliver and time limit.
const wireVersion = 3

// DataRef names the data a job trains on: the fingerprint of the prepared
// data (dataset.Data.Fingerprint), under which the data are in the object
// store DataStore, and their name, for messages.
type DataRef struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
}

// Job is one evaluation as published to the job stream: the fitness.Job
// (key, genome, training seed, generation...) with what a worker needs to
// run it exactly as the coordinator would.
type Job struct {
	Version int    `json:"v"`
	ID      string `json:"job_id"`
	RunID   string `json:"run_id"`
	fitness.Job
	Settings fitness.Settings `json:"settings"`
	Data     DataRef          `json:"data"`
	// Build is the coordinator's; a worker whose numbers differ refuses
	// the job unless AnyBuild.
	Build    Build `json:"build"`
	AnyBuild bool  `json:"any_build,omitempty"`
	// MaxDeliver is the run's: deliveries before the job is recorded as
	// failed.
	MaxDeliver int `json:"max_deliver"`
	// LimitS is the most seconds a worker trains the job: a training
	// that hangs is ended there, and the delivery counts as failed.
	LimitS float64 `json:"time_limit_s,omitempty"`
}

// Result is a job's outcome as stored in the result bucket.
type Result struct {
	Version  int            `json:"v"`
	JobID    string         `json:"job_id"`
	Record   fitness.Record `json:"record"`
	Worker   string         `json:"worker"`         // who wrote it: host:pid/slot, or reaper
	Delivery int            `json:"delivery"`       // the delivery of the job that gave it
	Build    Build          `json:"build"`          // the worker's
	Data     string         `json:"data,omitempty"` // the job's data fingerprint, for Purge

	trouble *Trouble // instead of a record: no worker could run the job
}

// Trouble is what a worker tells a run's coordinator, on the subject
// evonas.trouble.RUN.JOB, when it cannot run one of its jobs for a reason
// of its own (an *EnvError). Final: the job was on its last delivery and
// left the queue without a result.
type Trouble struct {
	Version  int    `json:"v"`
	JobID    string `json:"job_id"`
	Worker   string `json:"worker"`
	Reason   string `json:"reason"`
	Delivery int    `json:"delivery"`
	Final    bool   `json:"final"`
	// MissingData: the job's data (fingerprint Data) are not in the data
	// store; the run's coordinator stores them again.
	MissingData bool   `json:"missing_data,omitempty"`
	Data        string `json:"data,omitempty"`
}

// troublePrefix is the subjects' of Trouble reports.
const troublePrefix = "evonas.trouble."

func troubleSubject(runID, jobID string) string { return troublePrefix + runID + "." + jobID }

// RunID derives a run's ID from what determines its evaluations (its
// config, data fingerprint and seed, as the caller spells them). The same
// parts give the same ID, so a resumed run finds its jobs again.
func RunID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// JobID is the deterministic ID of the evaluation of a genome key in a
// generation of a run: RUN-GENERATION-HASH, usable as a subject token, a
// key and a message ID.
func JobID(runID string, generation int, key string) string {
	h := sha256.Sum256([]byte(key))
	return runID + "-" + strconv.Itoa(generation) + "-" + hex.EncodeToString(h[:8])
}

// jobSubject is a job's subject in the job stream.
func jobSubject(runID, jobID string) string { return jobPrefix + runID + "." + jobID }

// resultKey is a job's key in the result bucket.
func resultKey(runID, jobID string) string { return runID + "." + jobID }

// jobOfSubject returns the run and job IDs of a job subject.
func jobOfSubject(subject string) (runID, jobID string, ok bool) {
	rest, ok := strings.CutPrefix(subject, jobPrefix)
	if !ok {
		return "", "", false
	}
	runID, jobID, ok = strings.Cut(rest, ".")
	return runID, jobID, ok && runID != "" && jobID != "" && !strings.Contains(jobID, ".")
}

// failedRecord is the record of a job no worker could finish.
func failedRecord(j fitness.Job, reason string) fitness.Record {
	return fitness.Record{Key: j.Key, Arch: j.Genome.Arch(), Genome: j.Genome, Seed: j.Seed,
		Fitness: math.Inf(1), Status: fitness.Failed, Reason: reason}
}
