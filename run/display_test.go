package run

import (
	"bytes"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/schollz/progressbar/v3"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// TestProgressBarEnds checks that the bar of an evolution whose cache hits
// and elites make fewer trainings than planned reaches 100% with its last
// generation, not by a jump at the end, and never reaches it before.
func TestProgressBarEnds(t *testing.T) {
	for _, tc := range []struct {
		name                string
		generations, budget int
		perGen              []int // trainings of each generation
	}{
		{"elites and cache hits", 10, 0, []int{16, 12, 11, 9, 12, 10, 8, 11, 12, 9, 10}},
		{"budget", 20, 40, []int{16, 15, 15}},
		{"stopped early", 10, 0, []int{16, 15, 14}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := 16 * (tc.generations + 1)
			if tc.budget > 0 {
				plan = min(plan, tc.budget)
			}
			var out bytes.Buffer
			p := &Progress{bar: progressbar.NewOptions(plan, progressbar.OptionSetWriter(&out)), metric: "val accuracy",
				estimate: func(g search.GenerationStats) int { return PlannedTrainings(tc.generations, tc.budget, g) }}
			done := 0
			for g, n := range tc.perGen {
				for range n {
					p.Evaluated(fitness.Record{Status: fitness.OK})
					p.Evaluated(fitness.Record{Status: fitness.Cached}) // not counted
					done++
					if st := p.bar.State(); st.CurrentNum != int64(done) || (g < len(tc.perGen)-1 || tc.name == "stopped early") && st.CurrentPercent >= 1 {
						t.Fatalf("generation %d, %d trainings: bar at %d of %d", g, done, st.CurrentNum, st.Max)
					}
				}
				p.Generation(search.GenerationStats{Generation: g, Evaluations: done, Best: 0.1, Mean: 0.2, BestMetric: 0.9})
			}
			st := p.bar.State()
			if tc.name != "stopped early" && (st.Max != int64(done) || st.CurrentPercent != 1) {
				t.Errorf("after the last generation: %d of %d (%.0f%%), want %d of %d", st.CurrentNum, st.Max, 100*st.CurrentPercent, done, done)
			}
			if tc.name == "stopped early" && st.Max <= int64(done) {
				t.Errorf("a run still going: bar total %d, not above the %d trainings so far", st.Max, done)
			}
		})
	}
}

// TestProgressLinesFailed checks the progress line of a generation whose
// every candidate failed: no +Inf or NaN.
func TestProgressLinesFailed(t *testing.T) {
	var out strings.Builder
	p := NewProgress(&out, Lines)
	inf := search.GenerationStats{Generation: 0, Evaluations: 4, Failed: 4}
	inf.Best, inf.Mean, inf.BestMetric = math.Inf(1), math.NaN(), math.NaN()
	p.Generation(inf)
	want := "generation 0: 4 trainings (0 cache hits), best fitness none, mean none, best val accuracy so far none\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	out.Reset()
	one := search.GenerationStats{Generation: 1, Evaluations: 1, CacheHits: 1, Failed: 1}
	one.Best, one.Mean, one.BestMetric = math.Inf(1), math.NaN(), math.NaN()
	p.Generation(one)
	if want := "generation 1: 1 training (1 cache hit), "; !strings.HasPrefix(out.String(), want) {
		t.Errorf("got %q, want it to start %q", out.String(), want)
	}
}

// TestModeFor: quiet wins; a buffer or a file that is no terminal gets
// lines.
func TestModeFor(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "progress")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		name  string
		w     io.Writer
		quiet bool
		want  Mode
	}{
		{"buffer", &bytes.Buffer{}, false, Lines},
		{"file", f, false, Lines},
		{"quiet", f, true, Quiet},
	} {
		if got := ModeFor(tc.w, tc.quiet); got != tc.want {
			t.Errorf("%s: got mode %d, want %d", tc.name, got, tc.want)
		}
	}
}
