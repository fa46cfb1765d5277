package run

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// TestComparisonFolds checks a comparison with objective.repeats, with
// and without objective.folds: both strategies re-evaluate (random search
// gets the config's noise handling too), and each run's result is its
// named winner's mean over its trainings, which with folds cover every
// fold. Without folds the result was the single training with the best
// fitness, the luckiest of a genome's trainings.
func TestComparisonFolds(t *testing.T) {
	for _, folds := range []int{3, 0} {
		t.Run(fmt.Sprintf("folds %d", folds), func(t *testing.T) {
			cfg := smallConfig(t)
			for k, v := range map[string]string{"objective.repeats": "3", "objective.finalists": "2", "objective.folds": strconv.Itoa(folds),
				"evolution.model": "regularized", "evolution.sample_size": "3"} {
				if err := configs.Set(&cfg, k, v); err != nil {
					t.Fatal(err)
				}
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "cmp")
			c, err := NewComparison(KindCompare, "folds", []Variant{{Name: "ga", Config: cfg}}, 1, 16, dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Create(); err != nil {
				t.Fatal(err)
			}
			sum, err := c.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			md, err := os.ReadFile(filepath.Join(dir, ReportFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(md), "mean validation and test accuracy, over its trainings") {
				t.Errorf("report.md does not say a run's result is its winner's mean:\n%s", md)
			}
			repeated := 0
			for _, st := range sum.Strategies {
				s := st.Seeds[0]
				recs, err := readEvaluations(memberDir(dir, st.Name, 1), false)
				if err != nil {
					t.Fatal(err)
				}
				seen := map[int]bool{}
				var val, test float64
				n := 0
				for _, r := range recs {
					if folds > 0 && r.Fold != r.Visit%folds {
						t.Errorf("%s: visit %d on fold %d, want %d", st.Name, r.Visit, r.Fold, r.Visit%folds)
					}
					if r.Key == s.BestKey && r.Status != fitness.Cached {
						seen[r.Fold] = true
						val += r.Val.Acc
						test += r.Test.Acc
						n++
					}
				}
				if folds > 0 && len(seen) != folds {
					t.Errorf("%s: the winner %s was trained on folds %v, want all %d", st.Name, s.BestKey, seen, folds)
				}
				if n == 0 || math.Abs(s.BestVal-val/float64(n)) > 1e-12 || math.Abs(s.BestTest-test/float64(n)) > 1e-12 {
					t.Errorf("%s: result val %v test %v, want the winner's means over %d trainings: %v, %v", st.Name, s.BestVal, s.BestTest, n, val/float64(n), test/float64(n))
				}
				if n > 1 {
					repeated++
				}
				if st.Name == search.Baseline && n < 3 {
					t.Errorf("random search trained its winner %d times: it did not get the config's re-check", n)
				}
			}
			if repeated == 0 {
				t.Error("no winner was trained more than once: the test tests nothing")
			}
		})
	}
}

// TestFoldsRefused checks the folds that cannot be made: through a queue,
// or with fewer training rows than folds - 1; each is an input error
// before any file is written.
func TestFoldsRefused(t *testing.T) {
	cfg := smallConfig(t)
	cfg.Data.Rows = 10
	cfg.Objective.Repeats, cfg.Objective.Folds = 20, 20
	dir := filepath.Join(t.TempDir(), "run")
	_, err := New(cfg, GA, 0, dir)
	var in *InputError
	if !errors.As(err, &in) || !strings.Contains(err.Error(), "objective.folds: 20 folds need at least 19 training rows") {
		t.Errorf("few rows: got %v, want an input error on objective.folds", err)
	}
	cfg = smallConfig(t)
	cfg.Objective.Repeats, cfg.Objective.Folds = 3, 3
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Queue = &Queue{}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); !errors.As(err, &in) || !strings.Contains(err.Error(), "not through a queue") {
		t.Errorf("queue: got %v, want an input error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ConfigFile)); err == nil {
		t.Error("a refused run wrote its config")
	}
}
