package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evonas/evonas/queue"
)

// queueConfig is a search of a fraction of a second.
const queueConfig = `
data: {name: seed-sum, rows: 200}
search_space:
  layers: {min: 1, max: 2}
  width: {min: 2, max: 12}
training: {epochs: 2, patience: 0}
evolution: {population: 6, generations: 2}
workers: 2
`

// serveQueue starts an embedded NATS server on a free loopback port.
func serveQueue(t *testing.T) *queue.Server {
	t.Helper()
	s, err := queue.Serve(queue.ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// sameRun fails unless two run directories hold the same evaluations and
// best architecture.
func sameRun(t *testing.T, got, want string) {
	t.Helper()
	if g, w := evaluationSet(t, got), evaluationSet(t, want); strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("%s's evaluations differ from %s's:\n got %v\nwant %v", got, want, g, w)
	}
	if g, w := bestOfRun(t, got), bestOfRun(t, want); g != w {
		t.Errorf("%s: best %s, want %s", got, g, w)
	}
}

// TestQueueEmbedded: --queue embedded gives the local run's results, for
// evolve and random search.
func TestQueueEmbedded(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	for _, cmd := range []string{"evolve", "random"} {
		local, queued := filepath.Join(dir, cmd+"-local"), filepath.Join(dir, cmd+"-queued")
		mustRun(t, cmd, "--config", cfg, "--out", local, "--quiet")
		_, stderr, code := evonas(t, cmd, "--config", cfg, "--out", queued, "--queue", "embedded")
		if code != exitOK {
			t.Fatalf("%s --queue embedded: exit %d; stderr %s", cmd, code, stderr)
		}
		if !strings.Contains(stderr, "embedded NATS server") || !strings.Contains(stderr, "2 local worker slots") {
			t.Errorf("stderr does not describe the queue:\n%s", stderr)
		}
		sameRun(t, queued, local)
	}
}

// TestQueueCompare: a comparison through a queue equals the local one.
func TestQueueCompare(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	args := []string{"compare", "--config", cfg, "--seeds", "2", "--budget", "8", "--quiet"}
	local, queued := filepath.Join(dir, "local"), filepath.Join(dir, "queued")
	mustRun(t, append(args, "--out", local)...)
	mustRun(t, append(args, "--out", queued, "--queue", "embedded", "--workers", "2")...)
	for _, sub := range []string{"q/seed-1", "q/seed-2", "random/seed-1", "random/seed-2"} {
		sameRun(t, filepath.Join(queued, sub), filepath.Join(local, sub))
	}
}

// startWorker starts the test binary as evonas worker.
func startWorker(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"worker"}, args...)...)
	cmd.Env = append(os.Environ(), "EVONAS_AS_MAIN=1")
	var stdout bytes.Buffer
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, &stdout, &stderr
}

// TestWorkerProcesses: two evonas worker processes train a run that
// equals the local one, print a line per job and stop on SIGINT; a third
// given the --name of one of them refuses with one line (exit status 2).
func TestWorkerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	s := serveQueue(t)
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	local, queued := filepath.Join(dir, "local"), filepath.Join(dir, "queued")
	mustRun(t, "evolve", "--config", cfg, "--out", local, "--quiet")

	type proc struct {
		cmd    *exec.Cmd
		stdout *bytes.Buffer
		stderr *strings.Builder
	}
	var procs []proc
	for _, name := range []string{"gpu-1", ""} {
		args := []string{"--queue", s.URL(), "--slots", "1"}
		if name != "" {
			args = append(args, "--name", name)
		}
		cmd, stdout, stderr := startWorker(t, args...)
		procs = append(procs, proc{cmd, stdout, stderr})
	}
	// Both are up (they announce themselves) before the run starts, so
	// that each can be stopped by a signal it handles.
	waitWorkers(t, s.URL(), 2)
	_, stderr, code := evonas(t, "worker", "--queue", s.URL(), "--name", "gpu-1")
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `evonas: --name: another worker named "gpu-1" is running`) {
		t.Errorf("a worker named as a running one: exit %d, stderr %q; want 2 and one line", code, stderr)
	}
	mustRun(t, "evolve", "--config", cfg, "--out", queued, "--queue", s.URL(), "--quiet")
	sameRun(t, queued, local)

	lines := 0
	for _, p := range procs {
		p.cmd.Process.Signal(os.Interrupt)
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("worker: %v; stderr %s; stdout %s", err, p.stderr, p.stdout)
		}
		for _, l := range strings.Split(strings.TrimSpace(p.stdout.String()), "\n") {
			if l == "" {
				continue
			}
			if !strings.Contains(l, " fitness ") || !strings.HasSuffix(l, " s") {
				t.Errorf("worker line %q lacks a fitness or its seconds", l)
			}
			lines++
		}
		if !strings.Contains(p.stderr.String(), "stopped after") {
			t.Errorf("worker stderr: %s", p.stderr)
		}
	}
	var sum struct{ Evaluations int }
	decodeFile(t, filepath.Join(queued, "summary.json"), &sum)
	if lines != sum.Evaluations {
		t.Errorf("the workers printed %d job lines, want %d", lines, sum.Evaluations)
	}
}

// waitWorkers waits until n workers are seen in the queue at url.
func waitWorkers(t *testing.T, url string, n int) {
	t.Helper()
	conn, err := queue.Connect(context.Background(), queue.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		st, err := conn.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Workers) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d workers seen after 20 s, want %d", len(st.Workers), n)
		}
	}
}

// TestQueueResume: a run started through a queue and resumed through it
// ends like a run that had all its generations from the start.
func TestQueueResume(t *testing.T) {
	s := serveQueue(t)
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	want := filepath.Join(dir, "whole")
	mustRun(t, "evolve", "--config", cfg, "--out", want, "--quiet", "--generations", "3")
	out := filepath.Join(dir, "run")
	mustRun(t, "evolve", "--config", cfg, "--out", out, "--quiet", "--generations", "1", "--queue", s.URL(), "--workers", "1")
	mustRun(t, "resume", "--quiet", "--generations", "3", "--queue", s.URL(), "--workers", "1", out)
	sameRun(t, out, want)
}

// TestQueueServe: evonas queue serve listens until stopped.
func TestQueueServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	var wg sync.WaitGroup
	code := -1
	wg.Add(1)
	go func() {
		defer wg.Done()
		code = runMain(ctx, []string{"evonas", "queue", "serve", "--listen", addr, "--store", t.TempDir()}, &bytes.Buffer{}, &stderr)
	}()
	var c *queue.Conn
	for deadline := time.Now().Add(10 * time.Second); c == nil && time.Now().Before(deadline); {
		if c, err = queue.Connect(context.Background(), queue.Options{URL: "nats://" + addr}); err != nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if c == nil {
		t.Fatalf("no server at %s: %v", addr, err)
	}
	c.Close()
	cancel()
	wg.Wait()
	if code != exitOK {
		t.Errorf("exit %d, want 0; stderr %s", code, stderr.String())
	}
}

func TestQueueErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "nats://" + ln.Addr().String()
	ln.Close()
	evolve := func(args ...string) []string {
		return append([]string{"evolve", "--config", cfg, "--out", filepath.Join(dir, "never"), "--quiet"}, args...)
	}
	for _, tc := range []struct {
		args  []string
		code  int
		facts []string
	}{
		{evolve("--queue", "http://host:4222"), exitUsage, []string{`unsupported scheme "http"`}},
		{evolve("--queue", "nats://user:secret@host:x"), exitUsage, []string{"invalid port"}},
		{evolve("--queue", "localhost:4222"), exitUsage, []string{"no scheme"}},
		{evolve("--queue", closed), exitFailure, []string{"cannot connect to " + closed}},
		{evolve("--queue-tls-ca", "ca.pem"), exitUsage, []string{"--queue-tls-ca needs --queue"}},
		{evolve("--queue", "embedded", "--max-deliver", "0"), exitUsage, []string{"--max-deliver"}},
		{evolve("--queue", "embedded", "--ack-wait", "10ms"), exitUsage, []string{"--ack-wait"}},
		{evolve("--queue", closed, "--queue-creds", filepath.Join(dir, "none.creds")), exitUsage, []string{"none.creds"}},
		{[]string{"worker"}, exitUsage, []string{"queue"}},
		{[]string{"worker", "--queue", closed, "--slots", "-1"}, exitUsage, []string{"--slots"}},
		{[]string{"queue", "serve", "--listen", "0.0.0.0:4222"}, exitUsage, []string{"authentication", "--token"}},
		{[]string{"queue", "serve", "--listen", "127.0.0.1:4222", "--user", "u"}, exitUsage, []string{"password"}},
		{[]string{"queue", "serve", "--bogus"}, exitUsage, []string{"bogus"}},
		{[]string{"queue", "serve", "--coordinator-password", "x"}, exitUsage, []string{"both the coordinator and the worker"}},
		{[]string{"queue", "serve", "--tls-ca", "ca.pem"}, exitUsage, []string{"mutual TLS"}},
		{[]string{"queue", "purge", "--queue", closed}, exitUsage, []string{"one run ID"}},
		{[]string{"queue", "purge", "--queue", closed, "--data", "abc"}, exitUsage, []string{"no run ID"}},
		{[]string{"queue", "status"}, exitUsage, []string{"queue status: --queue is required"}},
		{[]string{"queue", "purge", "abc"}, exitUsage, []string{"queue purge: --queue is required"}},
		// (A worker once took a bad credentials file for a server not up
		// yet, and waited for ever.)
		{[]string{"worker", "--queue", closed, "--queue-creds", cfg}, exitUsage, []string{"--queue-creds", "not a NATS credentials file"}},
		{[]string{"queue", "serve", "--listen", "127.0.0.1:0", "--tls-cert", cfg, "--tls-key", cfg}, exitUsage, []string{"--tls-cert"}},
		{[]string{"queue", "start"}, exitUsage, []string{"serve"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, stderr, code := evonas(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.code, stderr)
			}
			checkOneLine(t, stderr, tc.facts...)
			if strings.Contains(stderr, "secret") {
				t.Errorf("stderr shows a password: %s", stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "never")); err == nil {
		t.Errorf("a failed queue left a run directory")
	}
}

// TestWorkerWaitsForServer: a worker started before its server waits,
// saying so, until stopped.
func TestWorkerWaitsForServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "nats://" + ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var out, errOut bytes.Buffer
	start := time.Now()
	code := runMain(ctx, []string{"evonas", "worker", "--queue", closed}, &out, &errOut)
	if took := time.Since(start); took < time.Second {
		t.Errorf("the worker exited after %s, want it waiting until stopped", took)
	}
	if code != exitOK || !strings.Contains(errOut.String(), "waiting for it") {
		t.Errorf("exit %d, stderr %q; want 0 and a line saying it waits", code, errOut.String())
	}
}

func decodeFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestQueueRoles: on a server with coordinator and worker credentials, a
// worker process with the worker's trains a run the coordinator started
// with its own; queue status shows the run and the worker, and queue
// purge drops the run and its data set.
func TestQueueRoles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	s, err := queue.Serve(queue.ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir(),
		Coordinator: queue.Credentials{User: "coordinator", Password: "cpw"}, Worker: queue.Credentials{User: "worker", Password: "wpw"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	coord := strings.Replace(s.URL(), "nats://", "nats://coordinator:cpw@", 1)
	worker := strings.Replace(s.URL(), "nats://", "nats://worker:wpw@", 1)
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	local, queued := filepath.Join(dir, "local"), filepath.Join(dir, "queued")
	mustRun(t, "evolve", "--config", cfg, "--out", local, "--quiet")

	// The worker waits for a coordinator to create the queue.
	cmd, _, stderr := startWorker(t, "--queue", worker, "--slots", "1", "--name", "box-7")
	_, runErr, code := evonas(t, "evolve", "--config", cfg, "--out", queued, "--queue", coord)
	if code != exitOK {
		t.Fatalf("evolve: exit %d: %s", code, runErr)
	}
	sameRun(t, queued, local)
	var runID string
	for _, l := range strings.Split(runErr, "\n") {
		if rest, ok := strings.CutPrefix(l, "queue: run "); ok {
			runID, _, _ = strings.Cut(rest, " ")
		}
	}
	if runID == "" {
		t.Fatalf("evolve did not print its run ID: %s", runErr)
	}

	out := mustRun(t, "queue", "status", "--queue", coord)
	if !strings.Contains(out, runID) || !strings.Contains(out, "box-7") {
		t.Errorf("queue status lacks the run %s or the worker box-7:\n%s", runID, out)
	}
	if _, errOut, code := evonas(t, "queue", "status", "--queue", worker); code != exitFailure {
		t.Errorf("queue status with the worker's credentials: exit %d (%s), want %d", code, errOut, exitFailure)
	}
	out = mustRun(t, "queue", "purge", "--queue", coord, runID)
	if !strings.Contains(out, "dropped 0 jobs and") || !strings.Contains(out, "its data set sha256:") {
		t.Errorf("queue purge: %s, want its jobs, results and data set dropped", out)
	}
	if out := mustRun(t, "queue", "purge", "--queue", coord, "--data"); !strings.Contains(out, "dropped 0 data sets that no run needs") {
		t.Errorf("queue purge --data after the run's purge: %s", out)
	}
	if _, errOut, code := evonas(t, "queue", "purge", "--queue", coord, runID); code != exitUsage || !strings.Contains(errOut, "no jobs and no results") {
		t.Errorf("purging it again: exit %d, %s", code, errOut)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("worker: %v; stderr %s", err, stderr)
	}
}

// TestQueueServerGone: a run whose server is gone for longer than
// --queue-give-up stops with the cause, its checkpoint written, and the
// line to resume it.
func TestQueueServerGone(t *testing.T) {
	s, err := queue.Serve(queue.ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "q.yaml", queueConfig)
	out := filepath.Join(dir, "run")
	type result struct {
		stderr string
		code   int
	}
	done := make(chan result, 1)
	go func() {
		// No worker: the jobs wait until the server goes.
		_, stderr, code := evonas(t, "evolve", "--config", cfg, "--out", out, "--quiet", "--queue", s.URL(), "--queue-give-up", "1s")
		done <- result{stderr, code}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(out, "evaluations.jsonl")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run did not start")
		}
	}
	time.Sleep(300 * time.Millisecond) // its jobs published
	s.Close()
	var r result
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("evolve still running 20 s after its server stopped (--queue-give-up 1s)")
	}
	if r.code != exitFailure {
		t.Errorf("exit %d, want %d", r.code, exitFailure)
	}
	// A warning when the connection went, then the error.
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"could not reconnect", "continue with: evonas resume --queue " + s.URL() + " " + out} {
		if !strings.Contains(last, want) {
			t.Errorf("last line of stderr %q lacks %q", last, want)
		}
	}
	var cp struct{ Interrupted bool }
	decodeFile(t, filepath.Join(out, "checkpoint.json"), &cp)
	if !cp.Interrupted {
		t.Errorf("checkpoint.json does not say the run was interrupted")
	}
}

// TestQueueServeRoles: queue serve with the role passwords lets the
// coordinator's and the worker's users in, each as its role, and no one
// without them.
func TestQueueServeRoles(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	var wg sync.WaitGroup
	code := -1
	wg.Add(1)
	go func() {
		defer wg.Done()
		code = runMain(ctx, []string{"evonas", "queue", "serve", "--listen", addr, "--store", t.TempDir(),
			"--coordinator-password", "cpw", "--worker-password", "wpw"}, &bytes.Buffer{}, &stderr)
	}()
	var c *queue.Conn
	for deadline := time.Now().Add(10 * time.Second); c == nil && time.Now().Before(deadline); {
		if c, err = queue.Connect(context.Background(), queue.Options{URL: "nats://coordinator:cpw@" + addr}); err != nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if c == nil {
		t.Fatalf("no server at %s for the coordinator: %v", addr, err)
	}
	c.Close()
	w, err := queue.Connect(context.Background(), queue.Options{URL: "nats://worker:wpw@" + addr, Role: queue.RoleWorker})
	if err != nil {
		t.Errorf("the worker's user: %v", err)
	} else {
		w.Close()
	}
	if _, err := queue.Connect(context.Background(), queue.Options{URL: "nats://" + addr}); err == nil {
		t.Error("a client without credentials connected")
	}
	cancel()
	wg.Wait()
	if code != exitOK {
		t.Errorf("exit %d, want 0; stderr %s", code, stderr.String())
	}
}
