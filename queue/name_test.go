package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// namedWorkers starts workers of one slot with the worker's credentials
// on a server with roles, each on its own connection.
type namedWorkers struct {
	t     *testing.T
	s     *Server
	coord *Conn
}

func newNamedWorkers(t *testing.T) *namedWorkers {
	s := serveRoles(t)
	coord, err := Connect(context.Background(), Options{URL: withCreds(s.URL(), coordCreds), AckWait: testAckWait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(coord.Close)
	return &namedWorkers{t: t, s: s, coord: coord}
}

// start runs a worker named name; stop ends it and returns Run's error,
// done gives Run's error when it ends by itself.
func (n *namedWorkers) start(name string, logf func(string, ...any)) (stop func() error, done chan error) {
	c, err := Connect(context.Background(), Options{URL: withCreds(n.s.URL(), workerCreds), Role: RoleWorker, Logf: logf})
	if err != nil {
		n.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan error, 1)
	go func() { done <- (&Worker{Slots: 1, Name: name}).Run(ctx, c) }()
	stop = func() error {
		cancel()
		defer c.Close()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			n.t.Error("a worker did not stop")
			return nil
		}
	}
	n.t.Cleanup(func() { cancel(); c.Close() })
	return stop, done
}

// seen waits until the status lists want workers named name (and says
// so), and returns them.
func (n *namedWorkers) seen(name string, want int) (*Status, []Seen) {
	n.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := n.coord.Status(context.Background())
		if err != nil {
			n.t.Fatal(err)
		}
		var got []Seen
		for _, s := range st.Workers {
			if s.Worker == name {
				got = append(got, s)
			}
		}
		if len(got) == want {
			return st, got
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("the status lists %d workers named %s after 5 s, want %d: %+v", len(got), name, want, st.Workers)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNameTaken: a worker started with the name of a worker that runs
// refuses at once, saying which name and how to pick another; a worker
// stopped frees its name, and the status then shows both instances of it
// (the stopped one until it ages out) apart.
func TestNameTaken(t *testing.T) {
	n := newNamedWorkers(t)
	stopA, _ := n.start("gpu-1", nil)
	n.seen("gpu-1", 1)

	_, doneB := n.start("gpu-1", nil)
	select {
	case err := <-doneB:
		if err == nil || !strings.Contains(err.Error(), `"gpu-1"`) || !strings.Contains(err.Error(), "--name") {
			t.Errorf("a second worker named gpu-1: %v, want a refusal naming the name and --name", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a second worker named gpu-1 runs beside the first")
	}
	n.seen("gpu-1", 1)

	if err := stopA(); err != nil {
		t.Fatal(err)
	}
	stopC, _ := n.start("gpu-1", nil)
	defer stopC()
	st, ws := n.seen("gpu-1", 2)
	instances := map[string]bool{}
	stopped := 0
	for _, w := range ws {
		b, _ := json.Marshal(w)
		var m map[string]any
		json.Unmarshal(b, &m)
		inst, _ := m["instance"].(string)
		instances[inst] = true
		if m["stopped"] == true {
			stopped++
		}
	}
	if len(instances) != 2 || instances[""] || stopped != 1 {
		t.Errorf("the two instances of gpu-1: %+v, want two instance IDs, one stopped", ws)
	}
	var b strings.Builder
	if err := st.WriteText(&b, time.Now()); err != nil {
		t.Fatal(err)
	}
	for inst := range instances {
		if !strings.Contains(b.String(), inst) {
			t.Errorf("queue status does not show instance %s of gpu-1:\n%s", inst, b.String())
		}
	}
	if !strings.Contains(b.String(), "stopped") {
		t.Errorf("queue status does not say which gpu-1 stopped:\n%s", b.String())
	}
}

// TestNameTakenWhen: an entry of the name keeps it only while it shows a
// running worker: not once it is older than the announcement window, nor
// from a process of this host that is gone (a worker killed and started
// again takes its name at once); two workers that both found the name
// free (started together) each warn of the other at their next
// announcement, and queue status says so.
func TestNameTakenWhen(t *testing.T) {
	n := newNamedWorkers(t)
	ctx := context.Background()
	host, _ := os.Hostname()
	forge := func(name, instance string, s Seen) {
		t.Helper()
		s.Worker, s.Instance, s.At = name, instance, time.Now().UTC()
		b, _ := json.Marshal(s)
		if _, err := n.coord.js.Publish(ctx, "$KV."+SeenBucket+"."+instanceKey(name, instance), b); err != nil {
			t.Fatal(err)
		}
	}
	// A process of this host that is gone: a child that has exited.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	forge("crashed", "0000dead", Seen{Host: host, PID: cmd.Process.Pid})
	forge("elsewhere", "00000e15", Seen{Host: "another-host", PID: cmd.Process.Pid})
	wc, err := Connect(ctx, Options{URL: withCreds(n.s.URL(), workerCreds), Role: RoleWorker})
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	if err := wc.checkName(ctx, "crashed", "1", 0); err != nil {
		t.Errorf("the name of a gone process of this host: %v, want it free", err)
	}
	var taken *NameTakenError
	if err := wc.checkName(ctx, "elsewhere", "1", 0); !errors.As(err, &taken) || taken.Other.Host != "another-host" {
		t.Errorf("the name of a running worker of another host: %v, want it taken", err)
	}
	time.Sleep(30 * time.Millisecond)
	if err := wc.checkName(ctx, "elsewhere", "1", 10*time.Millisecond); err != nil {
		t.Errorf("the name of a worker silent for longer than its window: %v, want it free", err)
	}

	// Two workers that started together, announcing every 50 ms.
	var logs [2]logLines
	var runs []func()
	for i := range 2 {
		c, err := Connect(ctx, Options{URL: withCreds(n.s.URL(), workerCreds), Role: RoleWorker, Logf: logs[i].logf})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		w := &Worker{Slots: 1, Name: "twin", every: 50 * time.Millisecond}
		p, err := w.start(wctx, c)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, func() { go w.run(wctx, c, p) })
	}
	for _, run := range runs {
		run()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(logs[0].String(), `another worker named "twin" is running`) &&
			strings.Contains(logs[1].String(), `another worker named "twin" is running`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("two workers named twin did not both warn within 5 s:\n%s\n%s", logs[0].String(), logs[1].String())
		}
	}
	st, _ := n.seen("twin", 2)
	var b strings.Builder
	st.WriteText(&b, time.Now())
	if !strings.Contains(b.String(), "2 running workers are named twin") {
		t.Errorf("queue status does not warn of the two workers named twin:\n%s", b.String())
	}
}

// TestNameUnchecked: a worker that cannot read the presence bucket (a
// server whose worker permissions predate the check; here a connection
// that fails under it) runs unchecked, saying so, rather than not at all;
// a cancelled start is still an error.
func TestNameUnchecked(t *testing.T) {
	s := serve(t)
	connect(t, s, 0) // the queue
	var logs []string
	c, err := Connect(context.Background(), Options{URL: s.URL(), Role: RoleWorker,
		Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.nc.Close() // (not c.Close, which silences the log)
	if err := c.checkName(context.Background(), "gpu-1", "abcd", 0); err != nil {
		t.Fatalf("checkName on a connection that cannot read the bucket: %v, want nil (run unchecked)", err)
	}
	if !slices.ContainsFunc(logs, func(l string) bool { return strings.Contains(l, `cannot check that no other worker is named "gpu-1"`) }) {
		t.Errorf("logs %q: want the unchecked name said", logs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.checkName(ctx, "gpu-1", "abcd", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled check: %v, want context.Canceled", err)
	}
}
