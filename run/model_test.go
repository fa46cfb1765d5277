package run

import (
	"errors"
	"strings"
	"testing"
)

func TestLoadModelDirectoryWithoutBest(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadModel(dir)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "without best.json") {
		t.Errorf("a directory without best.json: got %v, want an InputError naming best.json", err)
	}
}
