package run

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestComparisonFirstSeed: a comparison under seeds 3 and 4 runs the
// searches a comparison under 1..4 runs for those seeds, writes them to
// seed-3 and seed-4, says so in run.json, and lists them as members; and a
// resume keeps its seeds.
func TestComparisonFirstSeed(t *testing.T) {
	run := func(seeds, first int, dir string) *ComparisonSummary {
		t.Helper()
		c, err := NewComparison(KindCompare, "seeds", []Variant{{Name: "ga", Config: smallConfig(t)}}, seeds, 6, dir)
		if err != nil {
			t.Fatal(err)
		}
		c.FirstSeed = first
		if err := c.Create(); err != nil {
			t.Fatal(err)
		}
		sum, err := c.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	all := run(4, 0, filepath.Join(t.TempDir(), "all"))
	dir := filepath.Join(t.TempDir(), "fresh")
	fresh := run(2, 3, dir)
	for i, st := range fresh.Strategies {
		if len(st.Seeds) != 2 || st.Seeds[0].Seed != 3 || st.Seeds[1].Seed != 4 {
			t.Fatalf("%s: seeds %+v, want 3 and 4", st.Name, st.Seeds)
		}
		if got, want := st.Seeds, all.Strategies[i].Seeds[2:]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: seeds 3 and 4 give %+v; under 1..4 they gave %+v", st.Name, got, want)
		}
		if _, err := os.Stat(filepath.Join(memberDir(dir, st.Name, 3), EvaluationsFile)); err != nil {
			t.Errorf("%s: %v", st.Name, err)
		}
	}
	info, err := ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.FirstSeed != 3 || info.Seeds != 2 {
		t.Errorf("run.json: first seed %d, %d seeds; want 3 and 2", info.FirstSeed, info.Seeds)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := d.Members()
	if err != nil {
		t.Fatal(err)
	}
	var seeds []int
	for _, m := range ms {
		if m.Strategy == "ga" {
			seeds = append(seeds, m.Seed)
		}
	}
	if !reflect.DeepEqual(seeds, []int{3, 4}) {
		t.Errorf("members of ga: seeds %v, want [3 4]", seeds)
	}

	variants, err := info.ParseVariants(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ReopenComparison(dir, info, variants)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range again.Strategies {
		if !reflect.DeepEqual(st.Seeds, fresh.Strategies[i].Seeds) {
			t.Errorf("%s resumed: seeds %+v, want %+v", st.Name, st.Seeds, fresh.Strategies[i].Seeds)
		}
	}
}
