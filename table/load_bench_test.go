package table

import (
	"os"
	"path/filepath"
	"testing"
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
