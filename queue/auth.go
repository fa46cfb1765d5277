package queue

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Role is what a connection does, and so what its credentials may do.
type Role int

const (
	// RoleCoordinator connections create the streams, buckets and consumers,
	// publish jobs, read results and handle dead letters.
	RoleCoordinator Role = iota
	// RoleWorker connections take jobs, fetch data, create results and report
	// trouble and presence, nothing else: a worker's credentials cannot
	// publish jobs nor read any result.
	RoleWorker
	// RoleAdmin connections read the queue and purge runs (Status, Purge,
	// PurgeData) with a coordinator's credentials, but create nothing:
	// looking at a server does not set a queue up on it.
	RoleAdmin
)

// workerInbox is the prefix of a worker connection's reply subjects. A
// worker may subscribe to these only, not to the coordinators' _INBOX.>
// where results are delivered.
const workerInbox = "_INBOX_EVONAS_WORKER"

// WorkerPermissions are the subjects a worker's credentials may publish
// and subscribe to: list the run consumers and take jobs from them and
// acknowledge them, hear of new runs, read the data store, create results
// (the result bucket refuses a second write to a key, so a result cannot
// be overwritten), report presence and trouble, and read the presence of
// the workers of its name (which names another running worker has). Use them in a nats-server
// configuration; Serve does.
func WorkerPermissions() (publish, subscribe []string) {
	obj := "OBJ_" + DataStore
	publish = []string{
		"$JS.API.STREAM.INFO." + JobStream,
		"$JS.API.CONSUMER.LIST." + JobStream,
		"$JS.API.CONSUMER.INFO." + JobStream + ".*",
		"$JS.API.CONSUMER.MSG.NEXT." + JobStream + ".*",
		"$JS.ACK." + JobStream + ".>",
		"$KV." + ResultBucket + ".>",
		"$KV." + SeenBucket + ".>",
		"$JS.API.STREAM.INFO.KV_" + SeenBucket,
		"$JS.API.DIRECT.GET.KV_" + SeenBucket + ".>",
		troublePrefix + ">",
		"$JS.API.STREAM.INFO." + obj,
		"$JS.API.CONSUMER.CREATE." + obj + ".>",
		"$JS.API.CONSUMER.DELETE." + obj + ".>",
		"$JS.API.DIRECT.GET." + obj + ".>",
		"$JS.API.STREAM.MSG.GET." + obj,
		"$JS.FC." + obj + ".>",
	}
	return publish, []string{workerInbox + ".>", runsSubject}
}

// errNoQueue: the server has no evonas streams yet, which only a
// coordinator creates.
var errNoQueue = errors.New("the server has no evonas queue yet (a coordinator creates it)")

// open binds a worker connection to the job stream coordinators created.
func (c *Conn) open(ctx context.Context) error {
	js, err := jetstream.New(c.nc)
	if err != nil {
		return err
	}
	c.js = js
	c.jobs, err = js.Stream(ctx, JobStream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return errNoQueue
	}
	if err != nil {
		return fmt.Errorf("queue: stream %s on %s: %w", JobStream, c.url, err)
	}
	return nil
}

// openAdmin binds an administrator's connection to the streams and
// buckets coordinators created, creating none.
func (c *Conn) openAdmin(ctx context.Context) error {
	if err := c.open(ctx); err != nil {
		if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
			return fmt.Errorf("queue: %s has no JetStream (start nats-server with -js, or use evonas queue serve)", c.url)
		}
		return err
	}
	var err error
	if c.seen, err = c.js.KeyValue(ctx, SeenBucket); err != nil {
		return fmt.Errorf("queue: bucket %s on %s: %w", SeenBucket, c.url, err)
	}
	return nil
}

// createResult stores a job's result unless the job has one: a JetStream
// publish on the bucket's subject that expects no earlier message there,
// which needs no right to read the bucket. It reports whether this one
// was stored.
func (c *Conn) createResult(ctx context.Context, runID, jobID string, b []byte) (bool, error) {
	msg := &nats.Msg{Subject: "$KV." + ResultBucket + "." + resultKey(runID, jobID), Data: b}
	_, err := c.js.PublishMsg(ctx, msg, jetstream.WithExpectLastSequencePerSubject(0))
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == errCodeStoreFailed && strings.Contains(apiErr.Description, "per subject")) {
		return false, nil
	}
	return err == nil, err
}

// errCodeStoreFailed is JetStream's code for a message it did not store,
// which a second message on a subject of a stream that discards new
// messages per subject gets ("maximum messages per subject exceeded").
const errCodeStoreFailed jetstream.ErrorCode = 10077

// seenKey makes a worker's name a bucket key, as an earlier evonas keyed
// its presence.
var notKey = regexp.MustCompile(`[^-/_=.a-zA-Z0-9]`)

func seenKey(name string) string { return notKey.ReplaceAllString(name, "_") }

// nameKey makes a worker's name one token of a bucket key.
var notToken = regexp.MustCompile(`[^-/_=a-zA-Z0-9]`)

func nameKey(name string) string { return notToken.ReplaceAllString(name, "_") }

// instanceKey is the key of a worker's presence: its name, then its
// instance, so that two workers of one name have an entry each.
func instanceKey(name, instance string) string { return nameKey(name) + "." + instance }
