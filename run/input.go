package run

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
)

// BatchNotes says which of a search space's batch sizes are larger than
// the training rows: they train as one batch of all the rows, the same
// candidate under another key.
func BatchNotes(cfg configs.Config, trainRows int) []string {
	var notes []string
	for _, b := range cfg.SearchSpace.Batch {
		if b > trainRows {
			notes = append(notes, fmt.Sprintf("search_space.batch %d is more than the %d training rows; it trains as one batch of %d", b, trainRows, trainRows))
		}
	}
	return notes
}

// OwnSplit writes out the split the data set really gets when the config
// leaves the default: seed-sum's is its own 1000/200/200 of 1400 rows, and
// config show and a run's config.yaml should say so. The data are the same
// either way.
func OwnSplit(cfg *configs.Config) {
	if cfg.Data.Split == configs.Default().Data.Split {
		f := dataset.DefaultSplit(cfg.Data.Name)
		cfg.Data.Split = configs.Split{Train: f.Train, Val: f.Val, Test: f.Test}
	}
}

// CommandLine is a command as typed (args, the program first, named
// evonas), quoted for a POSIX shell where needed: how a run's report says
// to reproduce it.
func CommandLine(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if i == 0 {
			a = "evonas"
		}
		if strings.ContainsAny(a, " \t'\"$;&|<>*?()") || a == "" {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}

// Guess says what a command-line argument names, to hint at the flag it
// was meant for: "config" (a shipped config or a YAML file), "data" (a
// built-in data set or a CSV file, maybe gzip'd), "run" (a run directory),
// "model" (a JSON file), or "" when it is none of these.
func Guess(arg string) string {
	if slices.Contains(configs.Embedded(), arg) {
		return "config"
	}
	for _, b := range dataset.Builtins() {
		if b.Name == arg {
			return "data"
		}
	}
	st, err := os.Stat(arg)
	if err != nil {
		return ""
	}
	lower := strings.ToLower(arg)
	switch {
	case st.IsDir():
		if _, err := os.Stat(filepath.Join(arg, InfoFile)); err == nil {
			return "run"
		}
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		return "config"
	case strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".csv.gz"):
		return "data"
	case strings.HasSuffix(lower, ".json"):
		return "model"
	}
	return ""
}
