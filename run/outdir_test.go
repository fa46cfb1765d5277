package run

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOutDirIsAFile: --out naming an existing file is refused as such,
// and the file is left as it was.
func TestOutDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := prepareRunDir(file)
	want := "output directory " + file + " is a file; choose another --out"
	var ie *InputError
	if err == nil || err.Error() != want || !errors.As(err, &ie) {
		t.Errorf("prepareRunDir(a file): %v, want the input error %q", err, want)
	}
	if b, _ := os.ReadFile(file); string(b) != "x\n" {
		t.Errorf("the file now holds %q", b)
	}
}

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"runs/20261203-211757-default", "runs/20261203-211757-default"},
		{"/tmp/a_b.c/best.json", "/tmp/a_b.c/best.json"},
		{"my run/best.json", "'my run/best.json'"},
		{" ", "' '"},
		{"", "''"},
		{"it's", `'it'\''s'`},
		{"$HOME/x", "'$HOME/x'"},
		{"a;rm", "'a;rm'"},
	} {
		if got := ShellQuote(tc.in); got != tc.want {
			t.Errorf("ShellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
