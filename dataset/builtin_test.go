package dataset

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestBuiltinsOrder(t *testing.T) {
	var got []string
	for _, b := range Builtins() {
		got = append(got, b.Name)
	}
	want := []string{"seed-sum", "xor", "spirals", "moons", "circles", "iris", "breast_cancer", "digits", "mnist10k", "letter", "satellite"}
	if !slices.Equal(got, want) {
		t.Errorf("Builtins() names %q, want %q", got, want)
	}
}

// TestBuiltinsReal checks the embedded tables against the counts in Info
// and against the published sizes.
func TestBuiltinsReal(t *testing.T) {
	want := map[string][3]int{
		"iris":          {150, 4, 3},
		"breast_cancer": {569, 30, 2},
		"digits":        {1797, 64, 10},
		"mnist10k":      {10000, 784, 10},
		"letter":        {20000, 16, 26},
		"satellite":     {6435, 36, 6},
	}
	for _, info := range Builtins() {
		w, ok := want[info.Name]
		if !ok {
			continue
		}
		t.Run(info.Name, func(t *testing.T) {
			if got := [3]int{info.Rows, info.Features, info.Classes}; got != w {
				t.Errorf("Info rows/features/classes %v, want %v", got, w)
			}
			tab, err := LoadTable(info.Name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Rows() != w[0] || len(tab.Columns)-1 != w[1] {
				t.Errorf("table is %d x %d, want %d x %d", tab.Rows(), len(tab.Columns)-1, w[0], w[1])
			}
			d, err := Load(info.Name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != info.Name || d.Task != info.Task || len(d.Classes) != w[2] || d.Train.D != w[1] ||
				d.Train.N+d.Val.N+d.Test.N != w[0] {
				t.Errorf("Load: %s %s %d classes, D=%d, %d rows; want %s %s %d classes, D=%d, %d rows",
					d.Name, d.Task, len(d.Classes), d.Train.D, d.Train.N+d.Val.N+d.Test.N,
					info.Name, info.Task, w[2], w[1], w[0])
			}
		})
	}
}

// TestBuiltinsUCI checks the sets exported from R's mlbench against the
// class counts and feature ranges that UCI publishes for them, so that a
// truncated or reordered export cannot pass.
func TestBuiltinsUCI(t *testing.T) {
	tests := []struct {
		name   string
		counts map[string]int
		lo, hi float64 // every feature is an integer in [lo, hi]
	}{
		{"letter", map[string]int{
			"A": 789, "B": 766, "C": 736, "D": 805, "E": 768, "F": 775, "G": 773, "H": 734, "I": 755,
			"J": 747, "K": 739, "L": 761, "M": 792, "N": 783, "O": 753, "P": 803, "Q": 783, "R": 758,
			"S": 748, "T": 796, "U": 813, "V": 764, "W": 752, "X": 787, "Y": 786, "Z": 734}, 0, 15},
		// UCI's training and test files together: 4435 + 2000 rows.
		{"satellite", map[string]int{
			"red soil": 1072 + 461, "cotton crop": 479 + 224, "grey soil": 961 + 397,
			"damp grey soil": 415 + 211, "vegetation stubble": 470 + 237, "very damp grey soil": 1038 + 470}, 0, 255},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := LoadTable(tc.name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			last := tab.Columns[len(tab.Columns)-1]
			if last.Name != "target" || last.Str == nil {
				t.Fatalf("last column %q (text %v), want target with class names", last.Name, last.Str != nil)
			}
			got := map[string]int{}
			for _, c := range last.Str {
				got[c]++
			}
			if !reflect.DeepEqual(got, tc.counts) {
				t.Errorf("class counts %v, want %v", got, tc.counts)
			}
			for _, c := range tab.Columns[:len(tab.Columns)-1] {
				if c.Num == nil {
					t.Fatalf("column %s is not numeric", c.Name)
				}
				for i, v := range c.Num {
					if v != math.Trunc(v) || v < tc.lo || v > tc.hi {
						t.Fatalf("column %s row %d: %v, want an integer in [%v, %v]", c.Name, i+1, v, tc.lo, tc.hi)
					}
				}
			}
		})
	}
}

func TestEmbeddedTableShared(t *testing.T) {
	var wg sync.WaitGroup
	tabs := make([]*Table, 4)
	for i := range tabs {
		wg.Go(func() {
			tabs[i], _ = LoadTable("iris", Options{})
		})
	}
	wg.Wait()
	for _, tab := range tabs {
		if tab == nil || tab != tabs[0] {
			t.Fatal("LoadTable(\"iris\") returned different tables")
		}
	}
	// Prepare must leave the shared table alone.
	before := &Table{Source: tabs[0].Source, Lines: slices.Clone(tabs[0].Lines)}
	for _, c := range tabs[0].Columns {
		before.Columns = append(before.Columns, Column{Name: c.Name, Num: slices.Clone(c.Num), Str: slices.Clone(c.Str)})
	}
	if _, err := Load("iris", Options{Missing: "mean", Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if d := sameTable(tabs[0], before); d != "" {
		t.Errorf("Load changed the shared table: %s", d)
	}
}

func TestGenerated(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		rows     int
		features int
		split    [3]int
	}{
		{"seed-sum", Options{}, 1400, 10, [3]int{1000, 200, 200}},
		{"seed-sum", Options{Rows: 700}, 700, 10, [3]int{500, 100, 100}},
		{"seed-sum", Options{Split: Fractions{0.5, 0.25, 0.25}}, 1400, 10, [3]int{700, 350, 350}},
		{"xor", Options{}, 400, 2, [3]int{280, 60, 60}},
		{"spirals", Options{}, 400, 2, [3]int{280, 60, 60}},
		{"moons", Options{Rows: 101}, 101, 2, [3]int{71, 15, 15}},
		{"circles", Options{Rows: 1000, Noise: 0.2}, 1000, 2, [3]int{700, 150, 150}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := LoadTable(tc.name, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Rows() != tc.rows || len(tab.Columns) != tc.features+1 || tab.Lines != nil {
				t.Errorf("table %d x %d (lines %v), want %d x %d without lines", tab.Rows(), len(tab.Columns)-1, tab.Lines != nil, tc.rows, tc.features)
			}
			ones := 0.0
			for _, y := range tab.Columns[tc.features].Num {
				ones += y
			}
			if frac := ones / float64(tc.rows); frac < 0.35 || frac > 0.65 {
				t.Errorf("%.2f of labels are 1, want a balanced set", frac)
			}
			d, err := Load(tc.name, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]int{d.Train.N, d.Val.N, d.Test.N}; got != tc.split {
				t.Errorf("split %v, want %v", got, tc.split)
			}
			if d.Name != tc.name || d.Task != Binary || !slices.Equal(d.Classes, []string{"0", "1"}) {
				t.Errorf("Load: %s %s %q, want %s binary [0 1]", d.Name, d.Task, d.Classes, tc.name)
			}
		})
	}
}

func TestGeneratedSeed(t *testing.T) {
	for _, info := range Builtins()[:5] {
		t.Run(info.Name, func(t *testing.T) {
			a, _ := LoadTable(info.Name, Options{Seed: 1})
			b, _ := LoadTable(info.Name, Options{Seed: 1})
			c, _ := LoadTable(info.Name, Options{Seed: 2})
			if !reflect.DeepEqual(a, b) {
				t.Error("same seed gave different tables")
			}
			if reflect.DeepEqual(a.Columns[0].Num, c.Columns[0].Num) {
				t.Error("seeds 1 and 2 gave the same table")
			}
			da, _ := Load(info.Name, Options{Seed: 1})
			db, _ := Load(info.Name, Options{Seed: 1})
			if !reflect.DeepEqual(da, db) {
				t.Error("same seed gave different data")
			}
		})
	}
}

func TestSeedSumLabels(t *testing.T) {
	for _, opts := range []Options{{}, {Seed: 99, Rows: 300}} {
		tab, err := LoadTable("seed-sum", opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range tab.Rows() {
			sum := 0.0
			for j := range 10 {
				v := tab.Columns[j].Num[i]
				if v < 0 || v >= 1 {
					t.Fatalf("row %d: feature %d = %v, want [0,1)", i, j, v)
				}
				sum += v
			}
			if got, want := tab.Columns[10].Num[i], label(sum > 5); got != want {
				t.Fatalf("row %d: sum %v, label %v, want %v", i, sum, got, want)
			}
		}
	}
	// Noise blurs the boundary.
	tab, _ := LoadTable("seed-sum", Options{Noise: 1})
	wrong := 0
	for i := range tab.Rows() {
		sum := 0.0
		for j := range 10 {
			sum += tab.Columns[j].Num[i]
		}
		if tab.Columns[10].Num[i] != label(sum > 5) {
			wrong++
		}
	}
	if wrong < 100 {
		t.Errorf("noise 1 flipped %d of 1400 labels, want many", wrong)
	}
}

// radii returns the mean and standard deviation of the distance to centre
// of the rows of class k.
func radii(tab *Table, k float64, cx, cy float64) (mean, std float64) {
	var r []float64
	for i := range tab.Rows() {
		if tab.Columns[2].Num[i] == k {
			r = append(r, math.Hypot(tab.Columns[0].Num[i]-cx, tab.Columns[1].Num[i]-cy))
		}
	}
	for _, v := range r {
		mean += v
	}
	mean /= float64(len(r))
	for _, v := range r {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(r)))
}

func TestGeneratedShapes(t *testing.T) {
	tests := []struct {
		name   string
		noise  float64
		class  float64
		cx, cy float64 // centre
		radius float64
		spread float64 // about the noise level
	}{
		{"circles", 1e-9, 0, 0, 0, 1, 0},
		{"circles", 1e-9, 1, 0, 0, 0.5, 0},
		{"circles", 0, 0, 0, 0, 1, 0.1},
		{"circles", 0.05, 1, 0, 0, 0.5, 0.05},
		{"moons", 1e-9, 0, 0, 0, 1, 0},
		{"moons", 1e-9, 1, 1, 0.5, 1, 0},
		{"moons", 0, 0, 0, 0, 1, 0.1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := LoadTable(tc.name, Options{Noise: tc.noise, Rows: 2000})
			if err != nil {
				t.Fatal(err)
			}
			mean, std := radii(tab, tc.class, tc.cx, tc.cy)
			if math.Abs(mean-tc.radius) > 0.02 || math.Abs(std-tc.spread) > 0.03 {
				t.Errorf("class %v: radius %.3f±%.3f, want %.3f±%.3f", tc.class, mean, std, tc.radius, tc.spread)
			}
		})
	}

	t.Run("xor", func(t *testing.T) {
		for _, tc := range []struct {
			noise     float64
			lo, hi    float64 // share of labels that disagree with the noisy signs
			featureLo float64
		}{{1e-9, 0, 0.001, -1}, {0, 0.02, 0.15, -1.5}, {0.5, 0.2, 0.45, -3}} {
			tab, _ := LoadTable("xor", Options{Noise: tc.noise, Rows: 2000})
			wrong := 0
			for i := range 2000 {
				x, y := tab.Columns[0].Num[i], tab.Columns[1].Num[i]
				if label((x < 0) != (y < 0)) != tab.Columns[2].Num[i] {
					wrong++
				}
			}
			if f := float64(wrong) / 2000; f < tc.lo || f > tc.hi {
				t.Errorf("noise %v: %.3f of labels disagree with the signs, want %v to %v", tc.noise, f, tc.lo, tc.hi)
			}
		}
	})

	t.Run("spirals", func(t *testing.T) {
		// Without noise the classes are point reflections of each other's
		// arm: every point lies within radius 1.
		tab, _ := LoadTable("spirals", Options{Noise: 1e-9})
		for i := range tab.Rows() {
			if r := math.Hypot(tab.Columns[0].Num[i], tab.Columns[1].Num[i]); r > 1+1e-6 {
				t.Fatalf("row %d at radius %v, want <= 1", i, r)
			}
		}
		a, b := radii(tab, 0, 0, 0)
		c, _ := radii(tab, 1, 0, 0)
		if math.Abs(a-c) > 0.05 || b == 0 {
			t.Errorf("class radii %v and %v, want about equal", a, c)
		}
	})
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"xor", Options{Noise: -1}, "xor: noise must be finite and >= 0, got -1"},
		{"xor", Options{Noise: math.Inf(1)}, "xor: noise must be finite and >= 0, got +Inf"},
		{"moons", Options{Rows: -5}, "moons: rows must be between 0 and 10000000, got -5"},
		{"iris", Options{Rows: 10}, "iris: rows and noise apply only to generated datasets"},
		{"seed-sum", Options{Rows: 2}, `seed-sum: class "0" has 1 row, too few for a stratified 0.71/0.14/0.14 split (each class needs a row in each of its 3 parts)`},
		{"no-such-set", Options{}, "open no-such-set: no such file or directory (nor is it a built-in dataset: seed-sum, xor, spirals, moons, circles, iris, breast_cancer, digits, mnist10k, letter, satellite)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.name, tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *InputError", err)
			}
		})
	}
	if _, err := Load("no-such-set", Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Houses.CSV.gz")
	text := "rooms,area,city,price\n" + strings.Repeat("3,70.5,Oslo,310.5\n4,99,Bergen,402.25\n2,41.5,Oslo,199.75\n", 10)
	if err := os.WriteFile(path, gzipped(t, text), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Houses" || d.Task != Regression || d.Classes != nil ||
		!slices.Equal(d.Features, []string{"rooms", "area", "city=Bergen", "city=Oslo"}) {
		t.Errorf("Load: %s %s %q %q; want Houses regression with 4 features", d.Name, d.Task, d.Classes, d.Features)
	}
	if d.Prep.Target != "price" || d.Prep.TargetScale <= 0 {
		t.Errorf("Prep target %q scale %v", d.Prep.Target, d.Prep.TargetScale)
	}
	d, err = Load(path, Options{Target: "city"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Task != Binary || !slices.Equal(d.Classes, []string{"Bergen", "Oslo"}) || len(d.Features) != 3 {
		t.Errorf("Load with target city: %s %q %q", d.Task, d.Classes, d.Features)
	}
}

func BenchmarkPrepareMNIST(b *testing.B) {
	tab, err := LoadTable("mnist10k", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(tab, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
