package run

import (
	"fmt"
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
