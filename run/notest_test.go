package run

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
)

// TestComparisonWithoutTestSplit: on data with no test split, a sweep
// compares and ranks on validation and says so; its test metrics are null,
// not zeros compared with each other.
func TestComparisonWithoutTestSplit(t *testing.T) {
	cfg := smallConfig(t)
	cfg.Data.Split = configs.Split{Train: 0.8, Val: 0.2, Test: 0}
	dir := filepath.Join(t.TempDir(), "sweep")
	variants, err := SweepVariants(cfg, []Axis{{Key: "training.epochs", Values: []string{"1", "2"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewComparison(KindSweep, "no test", variants, 2, 6, dir)
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
	if !sum.NoTest {
		t.Fatal("no_test_split not set")
	}
	for _, tt := range sum.Tests {
		if tt.Metric != "final_val" {
			t.Errorf("a test on %s, want final_val only", tt.Metric)
		}
	}
	if len(sum.Tests) == 0 {
		t.Error("no tests on validation")
	}
	for _, r := range sum.Ranking {
		if !strings.Contains(r, "median val ") {
			t.Errorf("ranking line %q, want by median val", r)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, SummaryFile))
	var raw struct {
		Strategies []struct {
			FinalTest struct {
				Median *float64 `json:"median"`
			} `json:"final_test"`
			Seeds []struct {
				BestTest *float64 `json:"best_test"`
			} `json:"seeds"`
		} `json:"strategies"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, s := range raw.Strategies {
		if s.FinalTest.Median != nil || s.Seeds[0].BestTest != nil {
			t.Errorf("summary.json test metrics %v, %v; want null", *s.FinalTest.Median, *s.Seeds[0].BestTest)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportFile))
	var text strings.Builder
	sum.WriteText(&text)
	for name, s := range map[string]string{"report.md": string(md), "text": text.String()} {
		if !strings.Contains(s, "compared on validation only") {
			t.Errorf("%s does not say the comparison is on validation only:\n%s", name, s)
		}
	}
}

// TestTableRunNotResumable: resume refuses a run on a table, saying why and
// what to run instead; an ordinary run's directory passes the check.
func TestTableRunNotResumable(t *testing.T) {
	tb, err := OpenTable("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	cfg := configs.Default()
	p, err := TableProblem(tb, cfg, false, "default")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := TableSearch(context.Background(), p, cfg, GA, 30, dir, "evonas evolve --table spirals_mlp --budget 30"); err != nil {
		t.Fatal(err)
	}
	err = CheckResumable(dir)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "nothing to resume") || !strings.Contains(err.Error(), "evonas evolve --table spirals_mlp --budget 30") {
		t.Errorf("CheckResumable on a table run: %v; want an input error saying there is nothing to resume, with the command", err)
	}

	run := filepath.Join(t.TempDir(), "evolve")
	s, err := New(smallConfig(t), GA, 0, run)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("x"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := CheckResumable(run); err != nil {
		t.Errorf("CheckResumable on an evolve run: %v", err)
	}
}
