package table

import (
	"os"
	"path/filepath"
	"testing"
)

// TestParamsFromWidths: a known table without a params column gets each
// row's parameter count from its widths; a params column wins.
func TestParamsFromWidths(t *testing.T) {
	dir := t.TempDir()
	csv := "units_1,units_2,lr,val_mse_0,val_mse_1\n" +
		"16,16,0.1,0.5,0.6\n16,512,0.1,0.4,0.5\n512,16,0.1,0.3,0.3\n512,512,0.1,0.2,0.2\n"
	path := filepath.Join(dir, "fcnet_protein_structure.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// Protein: 9 inputs -> u1 -> u2 -> 1, weights and biases.
	for row := range tb.Len() {
		g := tb.Genome(row)
		u1, u2 := g.Layers[0].Units, g.Layers[1].Units
		if want := 10*u1 + (u1+1)*u2 + u2 + 1; tb.Params(row) != want {
			t.Errorf("row %d (%d, %d): params %d, want %d", row, u1, u2, tb.Params(row), want)
		}
		if want := int64(2 * (9*u1 + u1*u2 + u2)); tb.FLOPs(row) != want {
			t.Errorf("row %d: flops %d, want %d", row, tb.FLOPs(row), want)
		}
	}
	if got := tb.Params(0); got != 10*16+17*16+17 {
		t.Errorf("the smallest net: %d params, want 449", got)
	}
	// An unknown table keeps 0; a params column is taken as it is.
	other := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(other, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if tb, err := Load(other); err != nil || tb.Params(0) != 0 {
		t.Errorf("unknown table: params %v, %v", tb.Params(0), err)
	}
	tiny, err := Load(filepath.Join("testdata", "tiny.csv"))
	if err != nil || tiny.Params(0) != 100 {
		t.Errorf("params column: %v, %v", tiny.Params(0), err)
	}
	// A multiclass HPOBench net: 21 inputs, two layers of 16, 4 outputs.
	if got := DenseParams(Shapes["hpobench_mlp_car"], []int{16, 16}); got != 22*16+17*16+17*4 {
		t.Errorf("car: %d", got)
	}
}
