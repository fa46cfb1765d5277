package run

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/search"
)

// recorder is a Display that lists what it is told, in order; cancel,
// when set, is called after generation stop.
type recorder struct {
	counter
	calls     []string
	trainings int
	estimate  func(search.GenerationStats) int
}

func (r *recorder) Begin(n int, metric string, estimate func(search.GenerationStats) int) {
	r.calls = append(r.calls, "begin "+metric)
	r.trainings, r.estimate = n, estimate
}
func (r *recorder) Say(line string)  { r.calls = append(r.calls, "say "+line) }
func (r *recorder) Note(line string) { r.calls = append(r.calls, "note "+line) }
func (r *recorder) Starting(strategy string, seed int) {
	r.calls = append(r.calls, "starting "+strategy)
}
func (r *recorder) End() { r.calls = append(r.calls, "end") }

func TestSearchLaunch(t *testing.T) {
	cfg := smallConfig(t)
	cfg.SearchSpace.Batch = []int{16, 512} // 512 is more than the training rows: a note
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &recorder{counter: counter{stop: 1, cancel: cancel}}
	_, _, err = s.Launch(ctx, Setup{Command: "evonas evolve", Display: d})
	var se *StoppedError
	if !errors.As(err, &se) || se.Dir != dir || !errors.Is(err, context.Canceled) {
		t.Fatalf("launch cancelled after generation 1: %v, want a StoppedError in %s wrapping context.Canceled", err, dir)
	}
	if len(d.calls) != 4 || d.calls[0] != "begin accuracy" || d.calls[1] != "say "+s.Heading() ||
		!strings.HasPrefix(d.calls[2], "note search_space.batch 512") || d.calls[3] != "end" {
		t.Errorf("display told %q, want begin, the heading, a note on batch 512, end", d.calls)
	}
	if d.trainings != s.Expected() || d.estimate == nil || d.evaluations == 0 {
		t.Errorf("Begin got %d trainings (estimate set: %v), then %d evaluations; want %d, an estimate, some evaluations",
			d.trainings, d.estimate != nil, d.evaluations, s.Expected())
	}
	info, err := ReadInfo(dir)
	if err != nil || info.Command != "evonas evolve" {
		t.Fatalf("run.json: %+v, %v; want the setup's command", info, err)
	}

	// The resume launches without Create, the directory being there.
	r, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	sum, _, err := r.Launch(context.Background(), Setup{Command: "ignored"})
	if err != nil || sum == nil || sum.Stop == "" {
		t.Fatalf("resumed launch: %+v, %v; want a summary", sum, err)
	}
	if info, _ := ReadInfo(dir); info.Command != "evonas evolve" {
		t.Errorf("run.json's command after the resume %q, want the first run's", info.Command)
	}
}

func TestNewComparisonOptions(t *testing.T) {
	v := []Variant{{Name: "small", Config: smallConfig(t)}}
	for _, tc := range []struct {
		seeds, budget int
		option        string
	}{{0, 10, "seeds"}, {2, -1, "budget"}} {
		_, err := NewComparison(KindCompare, "c", v, tc.seeds, tc.budget, t.TempDir())
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != tc.option || !strings.HasPrefix(oe.Err.Error(), "want at least 1, got ") {
			t.Errorf("seeds %d, budget %d: %v, want an OptionError of %s", tc.seeds, tc.budget, err, tc.option)
		}
	}
}

// TestStoppedHint: the hint names why the run stopped and the resume
// command, with the queue's URL but not its password.
func TestStoppedHint(t *testing.T) {
	e := &StoppedError{Dir: "runs/x", Err: errors.New("queue: server gone")}
	for _, tc := range []struct {
		url         string
		interrupted bool
		want        string
	}{
		{"", true, "interrupted; every finished evaluation is saved, continue with: evonas resume runs/x"},
		{"", false, "queue: server gone; every finished evaluation is saved, continue with: evonas resume runs/x"},
		{"nats://u:secret@host:4222", false, "queue: server gone; every finished evaluation is saved, continue with: evonas resume --queue nats://host:4222 runs/x"},
	} {
		if got := e.Hint(tc.url, tc.interrupted); got != tc.want {
			t.Errorf("Hint(%q, %v):\n got %s\nwant %s", tc.url, tc.interrupted, got, tc.want)
		}
	}
}

// TestLaunchChecksQueue: with a queue, a search or comparison whose
// config cannot train through one (successive halving) is refused before
// any directory is made or the queue opened.
func TestLaunchChecksQueue(t *testing.T) {
	cfg, err := configs.Parse([]byte(smallYAML+"fidelity: {method: halving}\n"), "halving.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A URL nothing listens on: opening it would fail otherwise.
	su := Setup{Queue: &QueueOptions{Options: queue.Options{URL: "nats://127.0.0.1:1"}, Jobs: 1}}
	var oe *OptionError
	if _, _, err := s.Launch(context.Background(), su); !errors.As(err, &oe) || oe.Option() != "queue" {
		t.Errorf("search: %v, want an OptionError of queue", err)
	}
	cmp, err := NewComparison(KindCompare, "t", []Variant{{Name: "plain", Config: smallConfig(t)}, {Name: "halving", Config: cfg}}, 1, 4, filepath.Join(t.TempDir(), "cmp"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cmp.Launch(context.Background(), su); !errors.As(err, &oe) || oe.Option() != "queue" {
		t.Errorf("comparison: %v, want an OptionError of queue", err)
	}
	for _, d := range []string{dir, cmp.Dir} {
		if _, err := os.Stat(d); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v, want no directory", d, err)
		}
	}
}

// TestPrepareValidates: New, Reopen and NewComparison refuse a config that
// does not validate, with the config's own error, before loading data.
func TestPrepareValidates(t *testing.T) {
	bad := smallConfig(t)
	bad.Evolution.Population = 1
	want := bad.Validate()
	if want == nil {
		t.Fatal("a population of 1 validates")
	}
	dir := t.TempDir()
	if _, err := New(bad, GA, 0, filepath.Join(dir, "new")); err == nil || err.Error() != want.Error() {
		t.Errorf("New: %v, want %v", err, want)
	}
	if _, err := Reopen(filepath.Join(dir, "none"), bad, 0); err == nil || err.Error() != want.Error() {
		t.Errorf("Reopen: %v, want %v", err, want)
	}
	vs := []Variant{{Name: "good", Config: smallConfig(t)}, {Name: "bad", Config: bad}}
	if _, err := NewComparison(KindCompare, "t", vs, 1, 4, filepath.Join(dir, "cmp")); err == nil || err.Error() != want.Error() {
		t.Errorf("NewComparison: %v, want %v", err, want)
	}
}
