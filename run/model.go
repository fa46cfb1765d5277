package run

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/evonas/evonas/model"
)

// LoadModel loads a model file, or the best model of the run directory at
// path (its best.json); a directory without one is an InputError.
func LoadModel(path string) (*model.Model, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		best := filepath.Join(path, BestFile)
		if _, err := os.Stat(best); errors.Is(err, fs.ErrNotExist) {
			return nil, inputf("%s is a directory without best.json (a run saves it when it ends)", path)
		}
		path = best
	}
	return model.Load(path)
}
