package table

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/evonas/evonas/configs"
)

// BenchmarkLoadFCNet loads a 62,208-row table of ../shared (skipped when
// absent).
func BenchmarkLoadFCNet(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "tables", "fcnet_protein_structure.csv.gz")
	if _, err := os.Stat(path); err != nil {
		b.Skip("no ../shared/tables")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareFCNet compares the default evolution and random search on
// FCNet protein (../shared, skipped when absent): 10 seeds of 1000
// evaluations each, one worker.
func BenchmarkCompareFCNet(b *testing.B) {
	path := filepath.Join("..", "..", "shared", "tables", "fcnet_protein_structure.csv.gz")
	if _, err := os.Stat(path); err != nil {
		b.Skip("no ../shared/tables")
	}
	t, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewProblem(t, t.Space())
	if err != nil {
		b.Fatal(err)
	}
	strategies := []Strategy{Evolution("default", configs.Default().Settings()), Random()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(context.Background(), p, strategies, 10, 1000, 1, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*20000), "µs/evaluation")
}
