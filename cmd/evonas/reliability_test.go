//go:build unix

// The tests in this file signal processes and read their resource usage,
// which only Unix systems offer.

package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// xorCSV returns n rows of a tiny binary data set with inputs a, b and
// target y.
func xorCSV(n int) string {
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range n {
		x, y := i%2, (i/2)%2
		fmt.Fprintf(&b, "%d,%d,%d\n", x, y, x^y)
	}
	return b.String()
}

// leftBehind lists what a failed command left in root, besides keep.
func leftBehind(t *testing.T, root string, keep ...string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			return nil
		}
		for _, k := range keep {
			if rel == k {
				return nil
			}
		}
		found = append(found, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestBadDataEveryCommand feeds bad data to every command that takes
// --data: each exits 2 with one line naming the file (and the line and
// column where they apply), prints nothing on stdout and writes nothing.
func TestBadDataEveryCommand(t *testing.T) {
	data := t.TempDir()
	good := writeTestFile(t, data, "good.csv", xorCSV(40))
	config := writeTestFile(t, data, "tiny.yaml", tinyConfig)
	// evolve, random, compare and sweep take the target from the config.
	nope := writeTestFile(t, data, "nope.yaml", strings.Replace(tinyConfig, "data: {name: xor, rows: 200}", fmt.Sprintf("data: {name: %q, target: nope}", good), 1))
	model := filepath.Join(data, "model.json")
	mustRun(t, "train", "--data", good, "--hidden", "4", "--epochs", "1", "--out", model)

	inputs := []struct {
		name  string
		file  string // "" for the unknown target, given by --target or the config
		facts []string
	}{
		{"missing file", filepath.Join(data, "nosuch.csv"), []string{"nosuch.csv", "no such file"}},
		{"ragged row", writeTestFile(t, data, "ragged.csv", "a,b,y\n1,2,0\n3,4,1\n5,6\n7,8,0\n"), []string{"ragged.csv:4"}},
		{"missing value", writeTestFile(t, data, "na.csv", "a,b,y\n1,2,0\n3,NA,1\n5,6,0\n7,8,1\n"), []string{"na.csv:3", `column "b"`, "missing value"}},
		{"unknown target", "", []string{"good.csv", `"nope"`, "not found"}},
		{"single class", writeTestFile(t, data, "oneclass.csv", "a,b,y\n1,2,0\n3,4,0\n5,6,0\n7,8,0\n"), []string{"oneclass.csv", `column "y"`, "single class"}},
		{"empty file", writeTestFile(t, data, "empty.csv", ""), []string{"empty.csv", "empty file"}},
	}
	comparison := []string{"--seeds", "1", "--budget", "4"}
	commands := []struct {
		name string
		// args is the command line reading file, or the unknown target
		// when file is "", and writing into root.
		args func(file, root string) []string
	}{
		{"train", func(file, root string) []string {
			args := []string{"train", "--hidden", "4", "--epochs", "1", "--out", filepath.Join(root, "model.json")}
			if file == "" {
				return append(args, "--data", good, "--target", "nope")
			}
			return append(args, "--data", file)
		}},
		{"evolve", func(file, root string) []string {
			return withData([]string{"evolve", "--out", filepath.Join(root, "run")}, config, nope, file)
		}},
		{"random", func(file, root string) []string {
			return withData([]string{"random", "--evaluations", "4", "--out", filepath.Join(root, "run")}, config, nope, file)
		}},
		{"compare", func(file, root string) []string {
			return withData(append([]string{"compare", "--out", filepath.Join(root, "run")}, comparison...), config, nope, file)
		}},
		{"sweep", func(file, root string) []string {
			return withData(append([]string{"sweep", "--set", "evolution.population=4,6", "--out", filepath.Join(root, "run")}, comparison...), config, nope, file)
		}},
		{"predict", func(file, root string) []string {
			return []string{"predict", "--model", model, "--data", file, "--out", filepath.Join(root, "predictions.csv")}
		}},
	}
	for _, c := range commands {
		for _, in := range inputs {
			if c.name == "predict" && (in.file == "" || in.name == "single class") {
				continue // predict reads no target: it has no --target and predicts for any rows
			}
			t.Run(c.name+"/"+in.name, func(t *testing.T) {
				root := t.TempDir()
				stdout, stderr, code := evonas(t, c.args(in.file, root)...)
				if code != exitUsage {
					t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
				}
				if stdout != "" {
					t.Errorf("stdout = %q, want empty", stdout)
				}
				checkOneLine(t, stderr, in.facts...)
				for _, f := range leftBehind(t, root) {
					t.Errorf("%s created by a command whose data is bad", f)
				}
			})
		}
	}
}

// withData completes the command line of a search: config with --data
// file, or the config nope, whose target does not exist, when file is "".
func withData(args []string, config, nope, file string) []string {
	if file == "" {
		return append(args, "--config", nope)
	}
	return append(args, "--config", config, "--data", file)
}

// TestUnwritableRunDirectory: a run directory that cannot be made or
// written is an error before any training.
func TestUnwritableRunDirectory(t *testing.T) {
	config := writeTestFile(t, t.TempDir(), "tiny.yaml", tinyConfig)
	commands := map[string][]string{
		"evolve":  {"evolve", "--config", config},
		"random":  {"random", "--config", config, "--evaluations", "4"},
		"compare": {"compare", "--config", config, "--seeds", "1", "--budget", "4"},
		"sweep":   {"sweep", "--config", config, "--seeds", "1", "--budget", "4", "--set", "evolution.population=4,6"},
	}
	cases := []struct {
		name string
		// setup prepares root and returns --out, the files it made there
		// and the facts the error must mention.
		setup func(t *testing.T, root string) (out string, made, facts []string)
	}{
		{"parent does not exist", func(t *testing.T, root string) (string, []string, []string) {
			return filepath.Join(root, "nodir", "run"), nil, []string{filepath.Join(root, "nodir"), "does not exist"}
		}},
		{"parent is a file", func(t *testing.T, root string) (string, []string, []string) {
			writeTestFile(t, root, "file", "")
			return filepath.Join(root, "file", "run"), []string{"file"}, []string{filepath.Join(root, "file")}
		}},
		{"out is a file", func(t *testing.T, root string) (string, []string, []string) {
			writeTestFile(t, root, "file", "")
			return filepath.Join(root, "file"), []string{"file"}, []string{filepath.Join(root, "file"), "is a file; choose another --out"}
		}},
		{"read-only parent", func(t *testing.T, root string) (string, []string, []string) {
			if os.Geteuid() == 0 {
				t.Skip("running as root, which may write in a read-only directory")
			}
			ro := filepath.Join(root, "ro")
			if err := os.Mkdir(ro, 0o555); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(ro, 0o755) })
			return filepath.Join(ro, "run"), []string{"ro"}, []string{filepath.Join(ro, "run"), "permission denied"}
		}},
	}
	for _, name := range []string{"evolve", "random", "compare", "sweep"} {
		for _, tc := range cases {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				root := t.TempDir()
				out, made, facts := tc.setup(t, root)
				stdout, stderr, code := evonas(t, append(commands[name], "--out", out)...)
				if code != exitUsage {
					t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
				}
				if stdout != "" {
					t.Errorf("stdout = %q, want empty", stdout)
				}
				checkOneLine(t, stderr, facts...)
				for _, f := range leftBehind(t, root, made...) {
					t.Errorf("%s created by a command that cannot write its run directory", f)
				}
			})
		}
	}
}

// TestMemoryFlat runs random searches of 200 and 2000 evaluations in
// processes of their own: the longer one's peak RSS must not exceed the
// shorter one's by more than 25% or 16 MiB, whichever is larger.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 2200 evaluations")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak RSS in KiB, as Linux reports it")
	}
	if raceEnabled() {
		t.Skip("the race detector's shadow memory grows with the heap, several times over")
	}
	dir := t.TempDir()
	config := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	peak := func(n int) int64 {
		t.Helper()
		out := filepath.Join(dir, fmt.Sprintf("random-%d", n))
		start := time.Now()
		cmd, stderr := startEvonas(t, "random", "--config", config, "--evaluations", strconv.Itoa(n), "--workers", "2", "--quiet", "--out", out)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("random --evaluations %d: %v; stderr: %s", n, err, stderr)
		}
		if got := readSummary(t, out).Evaluations; got != n {
			t.Fatalf("random --evaluations %d made %d evaluations", n, got)
		}
		kib := int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) // int32 on 32-bit systems
		t.Logf("%d evaluations: peak RSS %d KiB (%.1f MiB) in %.2f s", n, kib, float64(kib)/1024, time.Since(start).Seconds())
		return kib
	}
	small, large := peak(200), peak(2000)
	limit := max(small*5/4, small+16*1024)
	if large > limit {
		t.Errorf("peak RSS %d KiB after 2000 evaluations, %d KiB after 200: more than max(25%%, 16 MiB) of growth (limit %d KiB)", large, small, limit)
	}
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestNoGoroutineLeak: a search, finished or interrupted, leaves no
// goroutine behind.
func TestNoGoroutineLeak(t *testing.T) {
	config := writeTestFile(t, t.TempDir(), "tiny.yaml", tinyConfig)
	const slack = 2
	check := func(t *testing.T, before int) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before+slack && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before+slack {
			var b strings.Builder
			pprof.Lookup("goroutine").WriteTo(&b, 1)
			t.Errorf("%d goroutines after the search, %d before:\n%s", n, before, b.String())
		}
	}

	t.Run("finished", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "run")
		before := runtime.NumGoroutine()
		mustRun(t, "random", "--config", config, "--evaluations", "300", "--workers", "2", "--quiet", "--out", out)
		check(t, before)
	})

	t.Run("interrupted", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "run")
		before := runtime.NumGoroutine()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan struct{})
		var code int
		var stderr strings.Builder
		go func() {
			defer close(done)
			code = runMain(ctx, []string{"evonas", "random", "--config", config, "--evaluations", "1000000", "--workers", "2", "--quiet", "--out", out}, io.Discard, &stderr)
		}()
		waitForLines(t, filepath.Join(out, "evaluations.jsonl"), 50, done)
		cancel()
		<-done
		if code != exitInterrupted {
			t.Fatalf("exit %d after cancelling, want %d; stderr: %s", code, exitInterrupted, stderr.String())
		}
		check(t, before)
	})
}

// TestInterruptOtherCommands: SIGTERM stops a search as SIGINT does, and
// an interrupted comparison exits 130 too; both say how to resume, and
// resume ends them. (SIGINT on evolve: TestInterruptAndResume.)
func TestInterruptOtherCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several searches")
	}
	dir := t.TempDir()
	config := writeTestFile(t, dir, "r.yaml", resumeConfig)
	cases := []struct {
		name   string
		sig    os.Signal
		args   []string
		log    string // the log to watch, under --out
		equals bool   // the resumed run must equal an uninterrupted one
	}{
		{"random SIGTERM", syscall.SIGTERM, []string{"random", "--config", config, "--evaluations", "60", "--quiet"}, "evaluations.jsonl", true},
		{"compare SIGINT", os.Interrupt, []string{"compare", "--config", config, "--seeds", "2", "--budget", "12", "--quiet"}, filepath.Join("r", "seed-1", "evaluations.jsonl"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			cmd, stderr := startEvonas(t, append(tc.args, "--out", out)...)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			waitForLines(t, filepath.Join(out, tc.log), 6, done)
			cmd.Process.Signal(tc.sig)
			<-done
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("exit %d, want %d; stderr: %s", code, exitInterrupted, stderr)
			}
			if !strings.Contains(stderr.String(), "continue with: evonas resume "+out+"\n") {
				t.Errorf("stderr does not end in the resume command: %s", stderr)
			}
			mustRun(t, "resume", "--quiet", out)
			if tc.equals {
				whole := out + "-whole"
				mustRun(t, append(tc.args, "--out", whole)...)
				if got, want := evaluationSet(t, out), evaluationSet(t, whole); strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("resumed run's evaluations differ from the uninterrupted run's:\n got %v\nwant %v", got, want)
				}
				if got, want := bestOfRun(t, out), bestOfRun(t, whole); got != want {
					t.Errorf("best %s, want %s", got, want)
				}
			}
		})
	}
}

// TestDoubleInterrupt stops evolve with a second signal on the heels of
// the first: it exits 130 at once, and its run directory still resumes to
// the uninterrupted run's result.
func TestDoubleInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several searches")
	}
	dir := t.TempDir()
	// resumeConfig's trainings are short, but a second signal matters
	// only while the first's clean stop runs, and that is as short with
	// long trainings: a cancelled training stops within a minibatch.
	config := writeTestFile(t, dir, "r.yaml", resumeConfig)
	whole := filepath.Join(dir, "whole")
	mustRun(t, "evolve", "--config", config, "--out", whole, "--quiet")
	wantEvals, wantBest := evaluationSet(t, whole), bestOfRun(t, whole)

	cases := []struct {
		name string
		send func(p *os.Process)
		// immediate: the second signal must be what ends the process, not
		// the clean stop the first began.
		immediate bool
	}{
		// A SIGINT sent while the first is pending merges with it; a
		// millisecond later it is a second one, but the clean stop (a few
		// milliseconds) usually ends the process first.
		{"SIGINT twice", func(p *os.Process) {
			p.Signal(os.Interrupt)
			time.Sleep(time.Millisecond)
			p.Signal(os.Interrupt)
		}, false},
		// Two different signals sent to a stopped process are both
		// pending when it continues: the second one is handled microseconds
		// after the first, long before the clean stop ends.
		{"SIGINT and SIGTERM at once", func(p *os.Process) {
			p.Signal(syscall.SIGSTOP)
			p.Signal(os.Interrupt)
			p.Signal(syscall.SIGTERM)
			p.Signal(syscall.SIGCONT)
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			cmd, stderr := startEvonas(t, "evolve", "--config", config, "--out", out, "--quiet")
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			waitForLines(t, filepath.Join(out, "evaluations.jsonl"), 6, done)
			start := time.Now()
			tc.send(cmd.Process)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("still running 10 s after the signals; stderr: %s", stderr)
			}
			took := time.Since(start)
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("exit %d, want %d; stderr: %s", code, exitInterrupted, stderr)
			}
			if took > 2*time.Second {
				t.Errorf("exited %.1f s after the signals, want at most 2 s", took.Seconds())
			}
			if !strings.HasPrefix(stderr.String(), "evonas: stopping (press Ctrl-C again to exit at once)\n") {
				t.Errorf("stderr does not start by saying evonas is stopping: %s", stderr)
			}
			how := "the second signal exited at once"
			if strings.Contains(stderr.String(), "continue with: evonas resume") {
				how = "the clean stop the first signal began ended before the second signal"
				if tc.immediate {
					t.Errorf("the clean stop ended the process, not the second signal: %s", stderr)
				}
			}
			t.Logf("exited %d ms after the signals: %s", took.Milliseconds(), how)

			mustRun(t, "resume", "--quiet", out)
			if got := evaluationSet(t, out); strings.Join(got, "\n") != strings.Join(wantEvals, "\n") {
				t.Errorf("resumed run's evaluations differ from the uninterrupted run's:\n got %v\nwant %v", got, wantEvals)
			}
			if got := bestOfRun(t, out); got != wantBest {
				t.Errorf("best %s, want %s", got, wantBest)
			}
		})
	}
}
