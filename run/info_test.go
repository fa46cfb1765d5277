package run

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadInfoErrors checks that a run.json that does not read says where
// (the line of a syntax or type error, or that it is cut short) and that
// one of an unknown kind is refused, as evonas report and resume show them.
func TestReadInfoErrors(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"syntax", "{\"version\": 1,\n\"kind\": \"evolve\" x}\n", "run.json:2: invalid character 'x'"},
		{"type", "{\"version\": 1,\n\n\"kind\": 3}\n", "run.json:3: json: cannot unmarshal number"},
		{"cut short", "{\"version\": 1,\n\"kind\": \"evolve\",\n", "run.json: cut short (it ends at line 3)"},
		{"unknown kind", "{\"version\": 1, \"kind\": \"banana\"}\n", `run.json: unknown kind of run "banana" (want evolve, random, compare or sweep)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, InfoFile), []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadInfo(dir)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadInfo: %v, want an InputError containing %q", err, c.want)
			}
			var b bytes.Buffer
			_, err = Redraw(dir, &b)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "nor a comparison") {
				t.Errorf("Redraw: %v, want the run.json error alone", err)
			}
		})
	}
	for _, kind := range []string{KindEvolve, KindRandom, KindCompare, KindSweep} {
		dir := t.TempDir()
		if err := writeJSON(filepath.Join(dir, InfoFile), Info{Version: InfoVersion, Kind: kind}); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadInfo(dir); err != nil {
			t.Errorf("kind %s: %v", kind, err)
		}
	}
}
