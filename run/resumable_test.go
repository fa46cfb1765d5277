package run

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadResumable: a run.json of a kind a resume knows is read back; an
// unknown kind and a directory without run.json are input errors.
func TestReadResumable(t *testing.T) {
	for _, tc := range []struct {
		name, info string // run.json ("" for none)
		wantKind   string // "" for an input error
		wantErr    string
	}{
		{"evolve", `{"version": 1, "kind": "evolve"}`, KindEvolve, ""},
		{"sweep", `{"version": 1, "kind": "sweep", "seeds": 2}`, KindSweep, ""},
		{"unknown", `{"version": 1, "kind": "dance"}`, "", `run.json: unknown kind of run "dance"`},
		{"none", "", "", "run.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.info != "" {
				if err := os.WriteFile(filepath.Join(dir, InfoFile), []byte(tc.info), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			info, err := ReadResumable(dir)
			var ie *InputError
			switch {
			case tc.wantKind != "" && (err != nil || info.Kind != tc.wantKind):
				t.Errorf("got %+v, %v; want kind %s", info, err, tc.wantKind)
			case tc.wantKind == "" && (!errors.As(err, &ie) || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("got %v; want an input error containing %q", err, tc.wantErr)
			}
		})
	}
}
