package dataset

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTextColumns: Options.Text keeps a numeric-looking column as written,
// leaves the others numeric, and changes nothing for a column that is text
// anyway or a name the file does not have.
func TestTextColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ids.csv")
	if err := os.WriteFile(path, []byte("id,x,code,y\n007,1.50,a,NA\n010,2,b,1\n 1e3 ,3,c,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	plain, err := LoadTable(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := plain.Columns[0].Num; !slices.Equal(got, []float64{7, 10, 1000}) {
		t.Fatalf("without Text, id = %v, want the numbers 7, 10, 1000", got)
	}
	tab, err := LoadTable(path, Options{Text: []string{"id", "code", "y", "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tab.Columns[0].Str, []string{"007", "010", "1e3"}; !slices.Equal(got, want) {
		t.Errorf("id = %q, want %q", got, want)
	}
	if got, want := tab.Columns[1].Num, []float64{1.5, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("x = %v, want the numbers %v", got, want)
	}
	if got, want := tab.Columns[2].Str, []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("code = %q, want %q", got, want)
	}
	if got, want := tab.Columns[3].Str, []string{"", "1", "0"}; !slices.Equal(got, want) {
		t.Errorf("y = %q, want %q (NA is missing)", got, want)
	}
	if !slices.Equal(tab.Lines, plain.Lines) {
		t.Errorf("lines %v, want %v", tab.Lines, plain.Lines)
	}
}
