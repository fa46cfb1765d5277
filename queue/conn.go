package queue

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// Defaults of Options.
const (
	DefaultMaxDeliver = 3
	MaxDeliverLimit   = 20              // a run consumer's own MaxDeliver, the reaper's backstop
	DefaultAckWait    = 6 * time.Second // a worker sends a heartbeat every AckWait/3
	MinAckWait        = time.Second     // the shortest AckWait a run may ask for
	DefaultTimeLimit  = time.Hour       // of a job's training, when its run gives none
	DefaultGiveUp     = 2 * time.Minute
	resultTTL         = 7 * 24 * time.Hour // results and dead letters are kept this long
	seenTTL           = 10 * time.Minute   // a worker's presence, renewed every seenEvery
	seenEvery         = time.Minute
)

// StopError is a failure of the queue that no retry in this process can
// mend (the connection lost for good, a job no worker can run): the search
// must stop, and can be resumed once the cause is dealt with.
type StopError struct{ Err error }

func (e *StopError) Error() string { return e.Err.Error() }
func (e *StopError) Unwrap() error { return e.Err }

// stopf returns a *StopError.
func stopf(format string, args ...any) error {
	return &StopError{fmt.Errorf(format, args...)}
}

// Options say how to reach a NATS server, and the settings of the runs
// through the connection that do not give their own. The zero value of
// every field but URL means its default.
type Options struct {
	// URL is the server's: nats://HOST:PORT, or tls://HOST:PORT to require
	// TLS, with optional credentials (nats://USER:PASSWORD@HOST:PORT,
	// nats://TOKEN@HOST:PORT). Several may be given, separated by commas.
	URL     string
	Creds   string // a NATS credentials file (JWT and NKey seed)
	Token   string // an authentication token
	TLSCA   string // CA certificate (PEM) to verify the server with
	TLSCert string // client certificate (PEM), with TLSKey
	TLSKey  string

	// Name identifies the connection in the server's monitoring.
	Name string
	// Role says what the connection does (RoleCoordinator by default); a
	// RoleWorker creates nothing and needs only WorkerPermissions; a
	// RoleAdmin creates nothing and reads what a coordinator may.
	Role Role

	// MaxDeliver is how many times a job of a run through this connection
	// is delivered before it is recorded as failed (0: DefaultMaxDeliver,
	// at most MaxDeliverLimit), unless the run says otherwise: each job
	// carries its run's. AckWait is how long a worker may go without a
	// heartbeat before a job of a run through this connection is delivered
	// to another (0: DefaultAckWait, at least MinAckWait), unless the run
	// says otherwise: each run's consumer has its run's.
	MaxDeliver int
	AckWait    time.Duration

	// Forever makes the connection wait for a server that is not up yet
	// and reconnect forever after a lost one (workers). Otherwise the
	// first connection must succeed, and a lost one is given up after
	// GiveUp (0 means DefaultGiveUp): the coordinator's waiting
	// evaluations then fail with a *StopError.
	Forever bool
	GiveUp  time.Duration

	// Logf, when set, receives warnings (a lost connection, a retried
	// publish) as single lines.
	Logf func(format string, args ...any)
}

// Conn is a connection to a NATS server with the evonas streams and
// buckets set up. It is safe for concurrent use.
type Conn struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	jobs    jetstream.Stream
	results jetstream.KeyValue
	seen    jetstream.KeyValue // SeenBucket (coordinators)
	reaper  jetstream.Consumer
	runs    runCache    // the run consumers a worker takes jobs from
	noQueue atomic.Bool // a worker found the queue gone, and said so
	setting atomic.Bool // Connect is setting the queue up
	denied  chan error  // a permission the setup lacked
	closing atomic.Bool // the connection is being closed: log nothing more

	dataMu  sync.Mutex
	data    jetstream.ObjectStore // DataStore, once opened
	url     string                // redacted
	logf    func(format string, args ...any)
	wait    time.Duration // between reconnections
	role    Role
	maxDel  int           // MaxDeliver of this connection's runs
	ackWait time.Duration // AckWait of this connection's runs
	giveUp  time.Duration // reconnecting after a lost connection

	reapOnce sync.Once
	stop     chan struct{} // closed by Close
	lost     chan struct{} // closed when the connection is closed for good
	reconMu  sync.Mutex
	recon    chan struct{} // closed, and replaced, at each reconnection
	closeMu  sync.Once
	reaping  sync.WaitGroup
}

// URLError is a server URL that cannot be used: the user's mistake.
type URLError struct {
	URL string // redacted
	Msg string
}

func (e *URLError) Error() string { return fmt.Sprintf("queue: %s: %s", e.URL, e.Msg) }

// CheckURL checks that s is a usable NATS server URL list.
func CheckURL(s string) error {
	if strings.TrimSpace(s) == "" {
		return &URLError{URL: `""`, Msg: "no server URL (want nats://HOST:PORT)"}
	}
	for _, one := range strings.Split(s, ",") {
		one = strings.TrimSpace(one)
		if !strings.Contains(one, "://") {
			return &URLError{URL: Redact(one), Msg: "no scheme (want nats://HOST:PORT or tls://HOST:PORT)"}
		}
		u, err := url.Parse(one)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // without the URL, which may hold a password
			}
			return &URLError{URL: Redact(one), Msg: fmt.Sprintf("not a server URL (want nats://HOST:PORT): %v", err)}
		}
		switch u.Scheme {
		case "nats", "tls":
		default:
			return &URLError{URL: Redact(one), Msg: fmt.Sprintf("unsupported scheme %q (want nats:// or tls://)", u.Scheme)}
		}
		if u.Hostname() == "" {
			return &URLError{URL: Redact(one), Msg: "no host (want nats://HOST:PORT)"}
		}
		if p := u.Port(); p != "" {
			if _, err := net.LookupPort("tcp", p); err != nil {
				return &URLError{URL: Redact(one), Msg: fmt.Sprintf("bad port %q", p)}
			}
		}
		if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
			return &URLError{URL: Redact(one), Msg: "a server URL has no path or query"}
		}
	}
	return nil
}

// ErrHalfTLS is the error of a TLS client certificate without its key, or
// a key without its certificate.
var ErrHalfTLS = errors.New("queue: a TLS client certificate needs its key, and the key its certificate")

// Check reports, before anything connects, what Connect would refuse in the
// options themselves rather than in the files they name: half of a TLS
// client certificate (ErrHalfTLS), then a bad URL (a *URLError).
func (o Options) Check() error {
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return ErrHalfTLS
	}
	return CheckURL(o.URL)
}

// Redact returns a URL list without its credentials, to print.
func Redact(s string) string {
	var out []string
	for _, one := range strings.Split(s, ",") {
		one = strings.TrimSpace(one)
		if u, err := url.Parse(one); err == nil && u.User != nil {
			u.User = nil
			one = u.String()
		} else if err != nil {
			if i := strings.LastIndexByte(one, '@'); i >= 0 {
				one = "***" + one[i:]
			}
		}
		out = append(out, one)
	}
	return strings.Join(out, ",")
}

// Connect connects to the NATS server at o.URL. A coordinator's
// connection makes sure the job stream, the buckets, the data store and
// the dead-letter stream exist; a worker's waits for them (with Forever).
// A bad URL is a *URLError.
func Connect(ctx context.Context, o Options) (*Conn, error) {
	if err := CheckURL(o.URL); err != nil {
		return nil, err
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return nil, ErrHalfTLS
	}
	if err := o.checkFiles(); err != nil {
		return nil, err
	}
	if o.MaxDeliver > MaxDeliverLimit {
		return nil, fmt.Errorf("queue: MaxDeliver %d is over the limit of %d", o.MaxDeliver, MaxDeliverLimit)
	}
	if o.AckWait != 0 && o.AckWait < MinAckWait {
		return nil, fmt.Errorf("queue: AckWait %s is under the minimum of %s", o.AckWait, MinAckWait)
	}
	c := &Conn{url: Redact(o.URL), role: o.Role, logf: o.Logf, stop: make(chan struct{}), lost: make(chan struct{}), recon: make(chan struct{}),
		denied: make(chan error, 1)}
	if logf := o.Logf; logf != nil {
		// Nothing is logged once the connection closes: the command's own
		// last line (its error, say) comes after.
		c.logf = func(format string, args ...any) {
			if !c.closing.Load() {
				logf(format, args...)
			}
		}
	} else {
		c.logf = func(string, ...any) {}
	}
	name := o.Name
	if name == "" {
		name = "evonas"
	}
	giveUp := o.GiveUp
	if giveUp <= 0 {
		giveUp = DefaultGiveUp
	}
	// A reconnection a second, more often when giving up sooner (tests).
	wait := min(time.Second, giveUp/10)
	reconnects := int(giveUp / wait)
	if o.Forever {
		reconnects = -1
	}
	c.wait, c.giveUp = wait, giveUp
	c.maxDel = o.MaxDeliver
	if c.maxDel <= 0 {
		c.maxDel = DefaultMaxDeliver
	}
	c.ackWait = o.AckWait
	if c.ackWait <= 0 {
		c.ackWait = DefaultAckWait
	}
	opts := []nats.Option{
		nats.Name(name),
		nats.Timeout(5 * time.Second),
		nats.ReconnectWait(wait),
		nats.ReconnectJitter(0, 0),
		nats.MaxReconnects(reconnects),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				c.logf("queue: lost the connection to %s: %v; reconnecting", c.url, err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			c.logf("queue: reconnected to %s", c.url)
			c.runs.stale() // runs may have come or gone meanwhile
			c.reconMu.Lock()
			close(c.recon)
			c.recon = make(chan struct{})
			c.reconMu.Unlock()
		}),
		nats.ClosedHandler(func(*nats.Conn) { close(c.lost) }),
		// (Instead of nats.go's, which prints raw lines on stderr.)
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { c.asyncError(err) }),
	}
	if o.Role == RoleWorker {
		opts = append(opts, nats.CustomInboxPrefix(workerInbox))
	}
	if o.Creds != "" {
		opts = append(opts, nats.UserCredentials(o.Creds))
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
	if o.TLSCA != "" {
		opts = append(opts, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" {
		opts = append(opts, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	nc, err := nats.Connect(o.URL, opts...)
	for waited := false; err != nil && o.Forever && !refused(err); waited = true {
		// A worker may start before the server: it waits for it.
		if !waited {
			c.logf("queue: no server at %s yet (%v); waiting for it, retrying every %s", c.url, err, wait)
		}
		sleep(ctx, wait)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		nc, err = nats.Connect(o.URL, opts...)
		if err == nil {
			c.logf("queue: connected to %s", c.url)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("queue: cannot connect to %s: %w", c.url, err)
	}
	c.nc = nc
	if o.Role == RoleWorker {
		err = c.open(ctx)
		for waited := false; errors.Is(err, errNoQueue) && o.Forever; waited = true {
			if !waited {
				c.logf("queue: %s: %v; waiting for it", c.url, err)
			}
			sleep(ctx, wait)
			if ctx.Err() != nil {
				c.closeNATS()
				return nil, ctx.Err()
			}
			err = c.open(ctx)
		}
		if errors.Is(err, errNoQueue) {
			err = fmt.Errorf("queue: %s: %w", c.url, err)
		}
	} else if o.Role == RoleAdmin {
		if err = c.openAdmin(ctx); errors.Is(err, errNoQueue) {
			err = fmt.Errorf("queue: %s: %w", c.url, err)
		}
	} else {
		err = c.setupChecked(ctx)
	}
	if err != nil {
		c.closeNATS()
		return nil, err
	}
	return c, nil
}

// closeNATS closes the NATS connection and waits, a little, for its
// closed handler: nats.go runs its handlers one at a time, that one last,
// so a handler that was logging when the connection began to close is done
// when this returns, and none logs after.
func (c *Conn) closeNATS() {
	c.closing.Store(true)
	c.nc.Close()
	select {
	case <-c.lost:
	case <-time.After(2 * time.Second):
	}
}

// setupChecked runs setup, and ends it at once if the server refuses the
// connection a permission it needs: credentials of a worker, say, whose
// requests would otherwise go unanswered until they time out.
func (c *Conn) setupChecked(ctx context.Context) error {
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.setting.Store(true)
	defer c.setting.Store(false)
	go func() {
		select {
		case err := <-c.denied:
			cancel(err)
		case <-sctx.Done():
		}
	}()
	err := c.setup(sctx)
	if cause := context.Cause(sctx); err != nil && errors.Is(cause, nats.ErrPermissionViolation) {
		return fmt.Errorf("queue: %s: these credentials lack a coordinator's rights (%w); give the coordinator's", c.url, cause)
	}
	return err
}

// asyncError handles an error the server reports outside any call: a
// permission the setup lacks ends it (setupChecked), the others are
// warnings.
func (c *Conn) asyncError(err error) {
	if c.setting.Load() && errors.Is(err, nats.ErrPermissionViolation) {
		select {
		case c.denied <- err:
		default:
		}
		return
	}
	c.logf("queue: %v", err)
}

// checkFiles checks that each file the options name holds what it should,
// so that a wrong file is the user's mistake, named by its option (an
// *OptionError), rather than a failed connection or, for a worker, a wait
// for a server that will never accept it.
func (o Options) checkFiles() error {
	if o.Creds != "" {
		b, err := os.ReadFile(o.Creds)
		if err == nil {
			if _, perr := nkeys.ParseDecoratedNKey(b); perr != nil {
				err = fmt.Errorf("%s: not a NATS credentials file (%v)", o.Creds, perr)
			}
		}
		if err != nil {
			return &OptionError{"queue_creds", err}
		}
	}
	return checkTLSFiles("queue_tls_cert", o.TLSCert, "queue_tls_key", o.TLSKey, "queue_tls_ca", o.TLSCA)
}

// checkTLSFiles checks a certificate and its key, and a CA, each named by
// its option; an empty path is not checked.
func checkTLSFiles(certOpt, cert, keyOpt, key, caOpt, ca string) error {
	for _, f := range []struct{ opt, path string }{{certOpt, cert}, {keyOpt, key}, {caOpt, ca}} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			return &OptionError{f.opt, err}
		}
	}
	if cert != "" && key != "" {
		if _, err := tls.LoadX509KeyPair(cert, key); err != nil {
			return &OptionError{certOpt, fmt.Errorf("%s with the key %s: %v", cert, key, err)}
		}
	}
	if ca != "" {
		b, err := os.ReadFile(ca)
		if err == nil && !x509.NewCertPool().AppendCertsFromPEM(b) {
			err = fmt.Errorf("%s: no PEM certificate in it", ca)
		}
		if err != nil {
			return &OptionError{caOpt, err}
		}
	}
	return nil
}

// refused reports whether a connection failed because the server refused
// it (credentials, TLS), which waiting does not mend.
func refused(err error) bool {
	if errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) || errors.Is(err, nats.ErrAuthRevoked) ||
		errors.Is(err, nats.ErrSecureConnRequired) || errors.Is(err, nats.ErrSecureConnWanted) {
		return true
	}
	var certErr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	msg := strings.ToLower(err.Error())
	return errors.As(err, &certErr) || errors.As(err, &unknown) || strings.Contains(msg, "authorization") ||
		strings.Contains(msg, "certificate") || strings.Contains(msg, "tls:")
}

// setup creates or opens the streams, the buckets, the data store and
// the reaper's consumer. The run consumers are their coordinators'
// (NewBackend).
func (c *Conn) setup(ctx context.Context) error {
	js, err := jetstream.New(c.nc)
	if err != nil {
		return err
	}
	c.js = js
	failed := func(what string, err error) error {
		if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
			return fmt.Errorf("queue: %s has no JetStream (start nats-server with -js, or use evonas queue serve)", c.url)
		}
		return fmt.Errorf("queue: %s on %s: %w", what, c.url, err)
	}
	if c.results, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      ResultBucket,
		Description: "evonas evaluation results, by run and job",
		History:     1,
		TTL:         resultTTL,
		Storage:     jetstream.FileStorage,
	}); err != nil {
		return failed("bucket "+ResultBucket, err)
	}
	if err := refuseOverwrites(ctx, js, "KV_"+ResultBucket); err != nil {
		return failed("bucket "+ResultBucket, err)
	}
	if c.seen, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      SeenBucket,
		Description: "evonas workers seen lately, by name",
		History:     1,
		TTL:         seenTTL,
		Storage:     jetstream.FileStorage,
	}); err != nil {
		return failed("bucket "+SeenBucket, err)
	}
	if c.data, err = js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      DataStore,
		Description: "evonas prepared data sets, by fingerprint",
		Storage:     jetstream.FileStorage,
	}); err != nil {
		return failed("object store "+DataStore, err)
	}
	dead, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        DeadStream,
		Description: "evonas jobs delivered MaxDeliver times without an acknowledgement",
		Subjects:    []string{advisorySubjects},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		MaxAge:      resultTTL,
	})
	if err != nil {
		return failed("stream "+DeadStream, err)
	}
	if c.reaper, err = ensureConsumer(ctx, dead, jetstream.ConsumerConfig{
		Durable:   reaperConsumer,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   DefaultAckWait,
	}); err != nil {
		return failed("consumer "+reaperConsumer, err)
	}
	// The job stream last: a worker waits for it, and then finds
	// everything else in place.
	c.jobs, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        JobStream,
		Description: "evonas evaluation jobs",
		Subjects:    []string{JobSubjects},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  2 * time.Minute,
	})
	if err != nil {
		return failed("stream "+JobStream, err)
	}
	// An earlier evonas's one consumer for every run would overlap the
	// run consumers, which a work-queue stream refuses.
	if err := c.jobs.DeleteConsumer(ctx, legacyConsumer); err == nil {
		c.logf("queue: deleted the consumer %s of an earlier evonas (each run now has its own): update every worker", legacyConsumer)
	} else if !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return failed("consumer "+legacyConsumer, err)
	}
	return nil
}

// refuseOverwrites makes the server refuse a second message on a subject
// of the stream (a result bucket's key): the first result of a job stays,
// whoever tries to write another.
func refuseOverwrites(ctx context.Context, js jetstream.JetStream, name string) error {
	s, err := js.Stream(ctx, name)
	if err != nil {
		return err
	}
	cfg := s.CachedInfo().Config
	if cfg.Discard == jetstream.DiscardNew && cfg.DiscardNewPerSubject && cfg.MaxMsgsPerSubject == 1 {
		return nil
	}
	cfg.Discard, cfg.DiscardNewPerSubject, cfg.MaxMsgsPerSubject = jetstream.DiscardNew, true, 1
	_, err = js.UpdateStream(ctx, cfg)
	return err
}

// ensureConsumer opens the durable consumer cfg names, creating it with cfg
// if it does not exist. An existing one is left as it is: its settings
// are the queue's, not the last connection's.
func ensureConsumer(ctx context.Context, s jetstream.Stream, cfg jetstream.ConsumerConfig) (jetstream.Consumer, error) {
	cons, err := s.Consumer(ctx, cfg.Durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		cons, err = s.CreateConsumer(ctx, cfg)
		if errors.Is(err, jetstream.ErrConsumerExists) {
			cons, err = s.Consumer(ctx, cfg.Durable)
		}
	}
	return cons, err
}

// lostError is the error of evaluations cut off by the connection's loss.
func (c *Conn) lostError() error {
	select {
	case <-c.stop:
		return fmt.Errorf("queue: the connection to %s is closed", c.url)
	default:
	}
	return stopf("queue: lost the connection to %s and could not reconnect in %s", c.url, c.giveUp)
}

// reconnected returns a channel closed at the next reconnection.
func (c *Conn) reconnected() <-chan struct{} {
	c.reconMu.Lock()
	defer c.reconMu.Unlock()
	return c.recon
}

// URL returns the server URL, without credentials.
func (c *Conn) URL() string { return c.url }

// Close stops the connection's background work and closes it.
func (c *Conn) Close() {
	c.closeMu.Do(func() {
		close(c.stop)
		c.reaping.Wait()
		c.closeNATS()
	})
}

// startReaper handles, in the background until Close, the jobs JetStream
// gave up on: each MAX_DELIVERIES advisory kept in the dead-letter stream
// becomes a failed result, and its job leaves the job stream. Every
// coordinator and worker runs one; the advisories' work-queue consumer
// gives each to one of them.
func (c *Conn) startReaper() {
	c.reapOnce.Do(func() {
		c.reaping.Add(1)
		go func() {
			defer c.reaping.Done()
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-c.stop; cancel() }()
			for ctx.Err() == nil {
				msg, err := c.next(ctx, c.reaper, 5*time.Second, nil)
				if err != nil {
					if ctx.Err() == nil && !isTimeout(err) {
						if errors.Is(err, nats.ErrConnectionClosed) {
							return
						}
						sleep(ctx, time.Second)
					}
					continue
				}
				if err := c.bury(ctx, msg.Data()); err != nil {
					c.logf("queue: handling a job delivered too often: %v", err)
					msg.NakWithDelay(5 * time.Second)
					continue
				}
				msg.Ack()
			}
		}()
	})
}

// maxDeliveries is JetStream's MAX_DELIVERIES advisory.
type maxDeliveries struct {
	Stream     string `json:"stream"`
	Consumer   string `json:"consumer"`
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries uint64 `json:"deliveries"`
}

// bury records the job an advisory names as failed, unless it has a
// result, and deletes it from the job stream.
func (c *Conn) bury(ctx context.Context, advisory []byte) error {
	var a maxDeliveries
	if err := json.Unmarshal(advisory, &a); err != nil || a.StreamSeq == 0 {
		return nil // not an advisory we can act on
	}
	raw, err := c.jobs.GetMsg(ctx, a.StreamSeq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil // acknowledged or buried meanwhile
	}
	if err != nil {
		return err
	}
	runID, jobID, ok := jobOfSubject(raw.Subject)
	var job Job
	if ok && json.Unmarshal(raw.Data, &job) == nil {
		reason := abandonedReason(a.Deliveries)
		if _, err := c.putResult(ctx, runID, jobID, Result{Version: wireVersion, JobID: jobID, Record: failedRecord(job.Job, reason),
			Worker: "reaper", Delivery: int(a.Deliveries), Build: ThisBuild(), Data: job.Data.Fingerprint}); err != nil {
			return err
		}
	}
	if err := c.jobs.DeleteMsg(ctx, a.StreamSeq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return err
	}
	return nil
}

// putResult stores a job's result unless the job has one already: the
// first result wins. It reports whether this one was stored.
func (c *Conn) putResult(ctx context.Context, runID, jobID string, r Result) (bool, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return false, err
	}
	return c.createResult(ctx, runID, jobID, b)
}

// next fetches one message from a consumer, waiting up to wait. A
// reconnection ends the wait early, since a restarted server forgets the
// pull request, and so does cut, when not nil; the error is then
// errRefetch.
func (c *Conn) next(ctx context.Context, cons jetstream.Consumer, wait time.Duration, cut <-chan struct{}) (jetstream.Msg, error) {
	fctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var refetch atomic.Bool
	recon := c.reconnected()
	go func() {
		select {
		case <-recon:
		case <-cut:
		case <-fctx.Done():
			return
		}
		refetch.Store(true)
		cancel()
	}()
	msg, err := cons.Next(jetstream.FetchContext(fctx))
	if err != nil && refetch.Load() && ctx.Err() == nil {
		return nil, errRefetch
	}
	return msg, err
}

// errRefetch ends a fetch cut short by a reconnection, a new run or a job
// of another run.
var errRefetch = errors.New("queue: fetch again")

// isTimeout reports whether a fetch ended without a message.
func isTimeout(err error) bool {
	return errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoMessages) ||
		errors.Is(err, errRefetch)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// abandonedReason is the failed record's reason of a job that no worker
// finished in n deliveries.
func abandonedReason(n uint64) string {
	d := fmt.Sprintf("%d deliveries", n)
	if n == 1 {
		d = "1 delivery"
	}
	return "no worker finished it in " + d + " (each worker crashed, was stopped or stopped sending heartbeats)"
}
