package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// docSteps returns the code blocks of docs/distributed.md's "On several
// machines, step by step".
func docSteps(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "distributed.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## On several machines, step by step")
	end := strings.Index(doc, "## Credentials and TLS")
	if start < 0 || end < start {
		t.Fatal("docs/distributed.md has no section \"On several machines, step by step\"")
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)\n   ```[a-z]*\n(.*?)\n   ```\n").FindAllStringSubmatch(doc[start:end], -1) {
		var lines []string
		for _, l := range strings.Split(m[1], "\n") {
			lines = append(lines, strings.TrimPrefix(l, "   "))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	return blocks
}

// docBlock returns the step's block that contains what.
func docBlock(t *testing.T, blocks []string, what string) string {
	t.Helper()
	for _, b := range blocks {
		if strings.Contains(b, what) {
			return b
		}
	}
	t.Fatalf("docs/distributed.md's steps have no block with %q", what)
	return ""
}

// docCommands returns the evonas command lines of a block, continuation
// lines joined, after the replacements (old, new, ...), split into
// arguments.
func docCommands(t *testing.T, block string, replace ...string) [][]string {
	t.Helper()
	r := strings.NewReplacer(replace...)
	var cmds [][]string
	for _, l := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "evonas "); ok {
			cmds = append(cmds, strings.Fields(r.Replace(rest)))
		}
	}
	if len(cmds) == 0 {
		t.Fatalf("no evonas command in:\n%s", block)
	}
	return cmds
}

// TestDocTLSSetup runs docs/distributed.md's multi-machine set-up on this
// machine: its openssl commands as written, but for the server's name
// (localhost, which resolves here, instead of nats-host); then its queue
// serve, worker, evolve, queue status and queue purge command lines with
// the files they made, the host, port, paths and passwords of the test
// put in. The run through mutual TLS equals the local one.
func TestDocTLSSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, tool := range []string{"bash", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s: %v", tool, err)
		}
	}
	blocks := docSteps(t)
	dir := t.TempDir()

	// Step 1: the certificates.
	certs := docBlock(t, blocks, "openssl req -x509")
	if !strings.Contains(certs, "\nSERVER=nats-host ") && !strings.HasPrefix(certs, "SERVER=nats-host ") {
		t.Fatalf("the certificates' block does not start by naming the server SERVER=nats-host:\n%s", certs)
	}
	script := strings.Replace(certs, "SERVER=nats-host ", "SERVER=localhost ", 1)
	sh := exec.Command("bash", "-euo", "pipefail", "-c", script)
	sh.Dir = dir
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("the doc's openssl commands: %v\n%s", err, out)
	}
	for _, f := range []string{"ca.pem", "server.pem", "server-key.pem", "lab-1.pem", "lab-1-key.pem", "gpu-1.pem", "gpu-1-key.pem"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the doc's openssl commands made no %s: %v", f, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// Step 2: the server, with the passwords from the environment.
	pw := func() string {
		var b [16]byte
		rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}
	coordPW, workerPW := pw(), pw()
	t.Setenv("EVONAS_QUEUE_COORDINATOR_PASSWORD", coordPW)
	t.Setenv("EVONAS_QUEUE_WORKER_PASSWORD", workerPW)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")
	ln.Close()
	cfg := writeTestFile(t, dir, "my.yaml", queueConfig)
	replace := []string{"0.0.0.0:4222", "127.0.0.1:" + port, "nats-host:4222", "localhost:" + port,
		"/var/lib/evonas-nats", filepath.Join(dir, "store"), "runs/big", filepath.Join(dir, "queued"),
		"$COORDINATOR_PASSWORD", coordPW, "$WORKER_PASSWORD", workerPW}
	t.Chdir(dir) // the doc's relative paths
	serve := docCommands(t, docBlock(t, blocks, "evonas queue serve"), replace...)[0]
	ctx, cancel := context.WithCancel(context.Background())
	var serveOut, serveErr bytes.Buffer
	served := make(chan int, 1)
	go func() { served <- runMain(ctx, append([]string{"evonas"}, serve...), &serveOut, &serveErr) }()
	defer func() {
		cancel()
		if code := <-served; code != exitOK {
			t.Errorf("queue serve: exit %d: %s", code, serveErr.String())
		}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			break
		}
		select {
		case code := <-served:
			t.Fatalf("queue serve exited %d: %s", code, serveErr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue serve not listening after 10 s: %s", serveErr.String())
		}
	}

	// Step 4 before step 3: a worker process, with gpu-1's certificate.
	worker := docCommands(t, docBlock(t, blocks, "evonas worker"), replace...)[0]
	wcmd := exec.Command(os.Args[0], worker...)
	wcmd.Dir, wcmd.Env = dir, append(os.Environ(), "EVONAS_AS_MAIN=1")
	var wout bytes.Buffer
	var werr strings.Builder
	wcmd.Stdout, wcmd.Stderr = &wout, &werr
	if err := wcmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wcmd.Process.Kill(); wcmd.Wait() })

	// Step 3: the search, with lab-1's certificate.
	local := filepath.Join(dir, "local")
	mustRun(t, "evolve", "--config", cfg, "--out", local, "--quiet")
	evolve := docCommands(t, docBlock(t, blocks, "evonas evolve"), append(replace, "my.yaml", cfg)...)[0]
	_, runErr, code := evonas(t, evolve...)
	if code != exitOK {
		t.Fatalf("evonas %s: exit %d: %s\nworker: %s", strings.Join(evolve, " "), code, runErr, werr.String())
	}
	sameRun(t, filepath.Join(dir, "queued"), local)
	var runID string
	for _, l := range strings.Split(runErr, "\n") {
		if rest, ok := strings.CutPrefix(l, "queue: run "); ok {
			runID, _, _ = strings.Cut(rest, " ")
		}
	}

	// Step 5: status and purge.
	admin := docCommands(t, docBlock(t, blocks, "evonas queue status"), append(replace, "3f2a19c0d4e5b6a7", runID)...)
	if len(admin) != 2 {
		t.Fatalf("step 5 has %d evonas commands, want queue status and queue purge", len(admin))
	}
	if out := mustRun(t, admin[0]...); !strings.Contains(out, runID) || !strings.Contains(out, fmt.Sprintf(":%d ", wcmd.Process.Pid)) {
		t.Errorf("queue status lacks the run %s or the worker (pid %d):\n%s", runID, wcmd.Process.Pid, out)
	}
	if out := mustRun(t, admin[1]...); !strings.Contains(out, "run "+runID+": dropped 0 jobs and") {
		t.Errorf("queue purge: %s", out)
	}
	wcmd.Process.Signal(os.Interrupt)
	if err := wcmd.Wait(); err != nil {
		t.Errorf("worker: %v; stderr %s", err, werr.String())
	}
	if n := strings.Count(wout.String(), " fitness "); n == 0 {
		t.Errorf("the worker trained no job; stdout %q, stderr %s", wout.String(), werr.String())
	}
}
