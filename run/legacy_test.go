package run

import (
	"os"
	"path/filepath"
	"testing"
)

// A run saved before training.precision existed trained in float64, and
// resumes so; a saved config that names a precision keeps it.
func TestSavedConfigWithoutPrecision(t *testing.T) {
	for _, tc := range []struct {
		name, training, want string
	}{
		{"old run", "training: {epochs: 3}\n", "float64"},
		{"float32 run", "training: {epochs: 3, precision: float32}\n", "float32"},
		{"float64 run", "training: {epochs: 3, precision: float64}\n", "float64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			yaml := "data: {name: iris}\n" + tc.training
			if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := ReadConfig(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Training.Precision; got != tc.want {
				t.Errorf("precision %q, want %q", got, tc.want)
			}
			if cfg.Training.Epochs != 3 {
				t.Errorf("epochs %d, want 3", cfg.Training.Epochs)
			}
		})
	}
}
