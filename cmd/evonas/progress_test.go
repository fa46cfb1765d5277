package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerminalNamesRunDirectory runs evolve on a terminal (a pseudo
// terminal from util-linux's script) and checks that the run directory is
// named before the progress bar, not only at the end.
func TestTerminalNamesRunDirectory(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to make a pseudo terminal")
	}
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	run := filepath.Join(dir, "run")
	cmd := exec.Command(script, "-qec", strings.Join([]string{os.Args[0], "evolve", "--config", cfg, "--out", run}, " "), "/dev/null")
	cmd.Env = append(os.Environ(), "EVONAS_AS_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	text := string(out)
	header := strings.Index(text, "run directory "+run+"\r\n")
	bar := strings.Index(text, "% |")
	if header < 0 || bar < 0 || header > bar {
		t.Errorf("run directory named at %d, bar at %d; want the name first:\n%q", header, bar, text)
	}
}
