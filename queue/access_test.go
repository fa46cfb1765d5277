package queue

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/evonas/evonas/fitness"
)

var (
	coordCreds  = Credentials{User: "coord", Password: "c0ord-pw"}
	workerCreds = Credentials{User: "worker", Password: "w0rker-pw"}
)

// withCreds puts credentials into a server URL.
func withCreds(url string, c Credentials) string {
	return strings.Replace(url, "://", "://"+c.User+":"+c.Password+"@", 1)
}

// serveRoles starts a server with a coordinator and a worker user.
func serveRoles(t *testing.T) *Server {
	t.Helper()
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), Coordinator: coordCreds, Worker: workerCreds})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestWorkerCredentials: with the worker's credentials a worker takes
// jobs, fetches data and stores results, and can do nothing else: no
// publishing jobs, no reading results (its own run's or any other's), no
// overwriting a result, no changing a run's consumer.
func TestWorkerCredentials(t *testing.T) {
	s := serveRoles(t)
	coord, err := Connect(context.Background(), Options{URL: withCreds(s.URL(), coordCreds), AckWait: testAckWait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(coord.Close)
	// A worker connection with the worker's credentials works.
	wc, err := Connect(context.Background(), Options{URL: withCreds(s.URL(), workerCreds), Role: RoleWorker})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(wc.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go (&Worker{Slots: 1}).Run(ctx, wc)
	b := startBackend(t, coord, RunID("roles"))
	g := poisonGenomes()[0]
	fj := fitness.Job{Key: g.Key(), Genome: g, Seed: 3}
	rec, err := b.Run(context.Background(), fj)
	if err != nil || rec.Status != fitness.OK {
		t.Fatalf("job through a worker with the worker's credentials: %v, status %s (%s)", err, rec.Status, rec.Reason)
	}
	if rec.Worker == "" || rec.Build != ThisBuild().String() {
		t.Errorf("record's worker %q and build %q, want the worker's name and %q", rec.Worker, rec.Build, ThisBuild())
	}
	// Another run's result is there to be read.
	other := RunID("other run")
	otherJob := JobID(other, 0, g.Key())
	if _, err := coord.putResult(context.Background(), other, otherJob, Result{Version: wireVersion, JobID: otherJob, Record: rec, Build: ThisBuild()}); err != nil {
		t.Fatal(err)
	}

	// The worker's credentials on a plain connection, to try what a
	// worker's code never does.
	var asyncErrs logLines
	nc, err := nats.Connect(withCreds(s.URL(), workerCreds), nats.CustomInboxPrefix(workerInbox),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { asyncErrs.logf("%v", err) }))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	short := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), time.Second)
	}

	t.Run("publish a job", func(t *testing.T) {
		ctx, cancel := short()
		defer cancel()
		job, _ := json.Marshal(Job{Version: wireVersion, ID: "forged", RunID: other})
		if _, err := js.Publish(ctx, jobSubject(other, JobID(other, 9, "forged")), job); err == nil {
			t.Error("a worker published a job")
		}
	})
	t.Run("read results", func(t *testing.T) {
		ctx, cancel := short()
		defer cancel()
		if kv, err := js.KeyValue(ctx, ResultBucket); err == nil {
			if e, err := kv.Get(ctx, resultKey(other, otherJob)); err == nil {
				t.Errorf("a worker read another run's result: %s", e.Value())
			}
		}
		if _, err := js.Stream(ctx, "KV_"+ResultBucket); err == nil {
			t.Error("a worker read the result stream's info")
		}
		// Nor by listening: to the bucket's subjects, or to the
		// coordinators' replies where a watcher's results arrive.
		for _, subj := range []string{"$KV." + ResultBucket + ".>", "_INBOX.>", ">"} {
			got := make(chan *nats.Msg, 1)
			sub, err := nc.Subscribe(subj, func(m *nats.Msg) {
				select {
				case got <- m:
				default:
				}
			})
			if err != nil {
				continue
			}
			nc.Flush()
			// A new result goes out on the bucket's subject, and a watcher
			// picks it up through its inbox.
			id := JobID(other, 1, subj)
			coord.putResult(context.Background(), other, id, Result{Version: wireVersion, JobID: id, Record: rec, Build: ThisBuild()})
			select {
			case m := <-got:
				t.Errorf("a worker subscribed to %s received %s", subj, m.Subject)
			case <-time.After(300 * time.Millisecond):
			}
			sub.Unsubscribe()
		}
		if !strings.Contains(strings.ToLower(asyncErrs.String()), "permissions violation") {
			t.Errorf("the server did not refuse the subscriptions; errors: %s", asyncErrs.String())
		}
	})
	t.Run("overwrite a result", func(t *testing.T) {
		ctx, cancel := short()
		defer cancel()
		forged := Result{Version: wireVersion, JobID: otherJob, Record: rec, Worker: "forger", Build: ThisBuild()}
		forged.Record.Fitness = -1
		data, _ := json.Marshal(forged)
		if _, err := js.Publish(ctx, "$KV."+ResultBucket+"."+resultKey(other, otherJob), data); err == nil {
			t.Error("a second result was stored over the first")
		}
		e, err := coord.results.Get(context.Background(), resultKey(other, otherJob))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(e.Value()), "forger") {
			t.Errorf("the stored result is the forged one: %s", e.Value())
		}
	})
	t.Run("change or delete a run's consumer", func(t *testing.T) {
		ctx, cancel := short()
		defer cancel()
		cfg := runConsumerConfig(b.run)
		cfg.AckWait = time.Hour
		if _, err := js.UpdateConsumer(ctx, JobStream, cfg); err == nil {
			t.Error("a worker changed a run's AckWait")
		}
		other := runConsumerConfig(Run{ID: RunID("worker's own"), AckWait: time.Hour})
		if _, err := js.CreateConsumer(ctx, JobStream, other); err == nil {
			t.Error("a worker created a run consumer")
		}
		if err := js.DeleteConsumer(ctx, JobStream, RunConsumer(b.run.ID)); err == nil {
			t.Error("a worker deleted a run's consumer")
		}
		info, err := b.consumer().Info(context.Background())
		if err != nil || info.Config.AckWait != testAckWait {
			t.Errorf("the run's consumer after the worker's tries: %v, AckWait %v; want it as its coordinator set it (%s)", err, info, testAckWait)
		}
	})
	t.Run("act as a coordinator", func(t *testing.T) {
		// Refused at once, with the reason (it once waited 5 s for the
		// requests the server ignores, then said "context deadline
		// exceeded", nats.go printing the violations on stderr).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err := Connect(ctx, Options{URL: withCreds(s.URL(), workerCreds)})
		if err == nil {
			t.Fatal("a coordinator connection with the worker's credentials set up the queue")
		}
		if !errors.Is(err, nats.ErrPermissionViolation) || !strings.Contains(err.Error(), "coordinator's rights") || time.Since(start) > 2*time.Second {
			t.Errorf("a coordinator connection with the worker's credentials: %v after %s, want a permissions violation at once", err, time.Since(start))
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		// Refused, a worker does not wait: the server will not change its
		// mind.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := Connect(ctx, Options{URL: s.URL(), Role: RoleWorker, Forever: true})
		if err == nil || errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
			t.Errorf("a worker without credentials: %v after %s, want a refusal at once", err, time.Since(start))
		}
	})
}

// TestServeRolesChecks: role credentials are all or nothing, and distinct.
func TestServeRolesChecks(t *testing.T) {
	for _, o := range []ServerOptions{
		{Coordinator: coordCreds},
		{Coordinator: coordCreds, Worker: Credentials{User: "coord", Password: "x"}},
		{Coordinator: coordCreds, Worker: workerCreds, Token: "t"},
		{TLSCA: "ca.pem"},
	} {
		if err := o.Check(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if err := (ServerOptions{Listen: "0.0.0.0:4222", Coordinator: coordCreds, Worker: workerCreds}).Check(); err != nil {
		t.Errorf("roles beyond loopback: %v", err)
	}
}

// TestMutualTLS: a server with a client CA refuses a client without a
// certificate that CA signed.
func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	pki := newPKI(t, dir)
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), TLSCert: pki.serverCert, TLSKey: pki.serverKey, TLSCA: pki.ca,
		Coordinator: coordCreds, Worker: workerCreds})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	url := withCreds(s.URL(), coordCreds)
	if _, err := Connect(context.Background(), Options{URL: url, TLSCA: pki.ca}); err == nil {
		t.Error("a client without a certificate connected")
	}
	if _, err := Connect(context.Background(), Options{URL: url, TLSCA: pki.ca, TLSCert: pki.otherCert, TLSKey: pki.otherKey}); err == nil {
		t.Error("a client with a certificate of another CA connected")
	}
	c, err := Connect(context.Background(), Options{URL: url, TLSCA: pki.ca, TLSCert: pki.clientCert, TLSKey: pki.clientKey})
	if err != nil {
		t.Fatalf("a client with its certificate: %v", err)
	}
	c.Close()
}

// TestBadFiles: a file that is missing or does not hold what its option
// wants is an *OptionError naming the option, at once, for a coordinator,
// a worker (which once waited for ever for a bad credentials file, taking
// it for a server not up yet) and the server.
func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	pki := newPKI(t, dir)
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("workers: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	url := "nats://127.0.0.1:1" // nothing listens there: a worker would wait
	for _, tc := range []struct {
		name   string
		o      Options
		option string
	}{
		{"creds not a creds file", Options{Creds: notPEM}, "queue_creds"},
		{"creds missing", Options{Creds: missing}, "queue_creds"},
		{"CA not PEM", Options{TLSCA: notPEM}, "queue_tls_ca"},
		{"CA missing", Options{TLSCA: missing}, "queue_tls_ca"},
		{"certificate not PEM", Options{TLSCert: notPEM, TLSKey: pki.clientKey}, "queue_tls_cert"},
		{"key missing", Options{TLSCert: pki.clientCert, TLSKey: missing}, "queue_tls_key"},
		{"key of another certificate", Options{TLSCert: pki.clientCert, TLSKey: pki.otherKey}, "queue_tls_cert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, role := range []Role{RoleCoordinator, RoleWorker} {
				o := tc.o
				o.URL, o.Role, o.Forever = url, role, role == RoleWorker
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				_, err := Connect(ctx, o)
				cancel()
				var oe *OptionError
				if !errors.As(err, &oe) || oe.Option() != tc.option {
					t.Errorf("role %v: got %v, want an option error of %s", role, err, tc.option)
				}
			}
		})
	}
	for _, tc := range []struct {
		name   string
		o      ServerOptions
		option string
	}{
		{"certificate not PEM", ServerOptions{TLSCert: notPEM, TLSKey: pki.serverKey}, "tls_cert"},
		{"certificate missing", ServerOptions{TLSCert: missing, TLSKey: pki.serverKey}, "tls_cert"},
		{"CA not PEM", ServerOptions{TLSCert: pki.serverCert, TLSKey: pki.serverKey, TLSCA: notPEM}, "tls_ca"},
	} {
		t.Run("serve "+tc.name, func(t *testing.T) {
			tc.o.Listen, tc.o.StoreDir = "127.0.0.1:0", t.TempDir()
			s, err := Serve(tc.o)
			if err == nil {
				s.Close()
			}
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option() != tc.option {
				t.Errorf("got %v, want an option error of %s", err, tc.option)
			}
		})
	}
}

// TestResultChecks: the coordinator refuses a result for another seed, or
// from a build whose numbers differ unless the run accepts any build; a
// worker refuses the job of a coordinator whose numbers differ.
func TestResultChecks(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 2)
	d, _ := testData(t)
	g := poisonGenomes()[0]
	good, _, err := fitness.Run(context.Background(), d, testSettings, g, 5)
	if err != nil {
		t.Fatal(err)
	}
	bs := testSettings
	bs.Metric = fitness.BalancedMetric
	balanced, _, err := fitness.Run(context.Background(), d, bs, g, 5)
	if err != nil {
		t.Fatal(err)
	}
	other := Build{Version: "evonas v0 elsewhere", Numbers: "0000000000000000"}
	for _, tc := range []struct {
		name     string
		seed     uint64 // the stored record's
		build    Build
		anyBuild bool
		err      string
		metric   string // the run's objective metric
		rec      *fitness.Record
	}{
		{"good", 5, ThisBuild(), false, "", "", nil},
		{"other seed", 6, ThisBuild(), false, "training seed is 6, not 5", "", nil},
		{"other build", 5, other, false, "numbers differ", "", nil},
		{"other build allowed", 5, other, true, "", "", nil},
		// A worker older than the balanced metric scores plain accuracy.
		{"no balanced accuracy", 5, ThisBuild(), false, "it has no balanced accuracy, which the run selects on", fitness.BalancedMetric, nil},
		{"balanced accuracy", 5, ThisBuild(), false, "", fitness.BalancedMetric, &balanced},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := testRun(t, RunID("checks", tc.name))
			run.AnyBuild = tc.anyBuild
			run.Settings.Metric = tc.metric
			fj := fitness.Job{Key: g.Key(), Genome: g, Seed: 5}
			id := JobID(run.ID, 0, fj.Key)
			r := good
			if tc.rec != nil {
				r = *tc.rec
			}
			r.Seed = tc.seed
			if _, err := c.putResult(context.Background(), run.ID, id, Result{Version: wireVersion, JobID: id, Record: r, Worker: "w1", Build: tc.build}); err != nil {
				t.Fatal(err)
			}
			b, err := NewBackend(context.Background(), c, run)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			rec, err := b.Run(context.Background(), fj)
			var stop *StopError
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.err == "" && (rec.Worker != "w1" || rec.Build != tc.build.String()):
				t.Errorf("worker %q, build %q; want w1, %q", rec.Worker, rec.Build, tc.build)
			case tc.err != "" && (!errors.As(err, &stop) || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("error %v, want a StopError with %q", err, tc.err)
			}
		})
	}

	t.Run("worker of another build", func(t *testing.T) {
		p := &pool{t: t}
		p.start(s, nil)
		b := startBackend(t, c, RunID("checks", "worker"))
		b.build = other // the coordinator's numbers are not the worker's
		_, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 5})
		var stop *StopError
		if !errors.As(err, &stop) || !strings.Contains(err.Error(), "numbers differ") {
			t.Errorf("error %v, want a StopError: no worker could run it", err)
		}
		for _, r := range p.jobs() {
			if !r.Env {
				t.Errorf("worker report %+v, want an environment failure", r)
			}
		}
	})
}

// pki is a test CA with a server and a client certificate, and a client
// certificate of another CA, as PEM files. Generated in each test; no key
// is checked in.
type pki struct {
	ca, serverCert, serverKey, clientCert, clientKey, otherCert, otherKey string
}

func newPKI(t *testing.T, dir string) pki {
	t.Helper()
	now := time.Now()
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	newCA := func(name string) (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign}
		der, err := x509.CreateCertificate(crand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(der)
		return cert, key, der
	}
	leaf := func(name string, ca *x509.Certificate, caKey *ecdsa.PrivateKey, usage x509.ExtKeyUsage, serial int64) (certPath, keyPath string) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		der, err := x509.CreateCertificate(crand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return write(name+".pem", "CERTIFICATE", der), write(name+"-key.pem", "EC PRIVATE KEY", kder)
	}
	ca, caKey, caDER := newCA("evonas test CA")
	otherCA, otherKey, _ := newCA("another CA")
	var p pki
	p.ca = write("ca.pem", "CERTIFICATE", caDER)
	p.serverCert, p.serverKey = leaf("server", ca, caKey, x509.ExtKeyUsageServerAuth, 2)
	p.clientCert, p.clientKey = leaf("client", ca, caKey, x509.ExtKeyUsageClientAuth, 3)
	p.otherCert, p.otherKey = leaf("other", otherCA, otherKey, x509.ExtKeyUsageClientAuth, 4)
	return p
}

// TestPermissionsDocumented: the worker permissions docs/distributed.md
// gives for one's own nats-server are the code's.
func TestPermissionsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "distributed.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	pub, sub := WorkerPermissions()
	for _, subj := range append(pub, sub...) {
		if !strings.Contains(doc, `"`+subj+`"`) {
			t.Errorf("docs/distributed.md does not list %q", subj)
		}
	}
}

// TestAbandonedReason: the reason of a job no worker finished counts its
// deliveries in words that agree with the number.
func TestAbandonedReason(t *testing.T) {
	for n, want := range map[uint64]string{1: "in 1 delivery (", 3: "in 3 deliveries ("} {
		if got := abandonedReason(n); !strings.Contains(got, want) {
			t.Errorf("abandonedReason(%d) = %q, want it to contain %q", n, got, want)
		}
	}
}

// TestNothingLoggedAfterClose: once a connection is closed, its handlers
// log nothing (nats.go may still report an error it had queued): a command
// prints its own last line then, and a late warning came after it, racing
// with it on the same writer.
func TestNothingLoggedAfterClose(t *testing.T) {
	s := serve(t)
	var mu sync.Mutex
	var lines []string
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(lines) }
	c, err := Connect(context.Background(), Options{URL: s.URL(), Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.asyncError(errors.New("before"))
	c.Close()
	n := count()
	c.asyncError(errors.New("after"))
	c.logf("queue: after")
	if n == 0 || count() != n {
		t.Errorf("logged %q; want a line before Close and none after", lines)
	}
}
