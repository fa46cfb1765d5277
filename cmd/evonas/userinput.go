package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
)

// forceFlag lets a command replace its output file. (A new flag each
// time: urfave/cli keeps state in a flag, and an app is made per run.)
func forceFlag() cli.Flag {
	return &cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "overwrite the --out file if it exists"}
}

// refuseOverwrite keeps an existing output file unless --force is given.
func refuseOverwrite(c *cli.Context, path string) error {
	if _, err := os.Lstat(path); err == nil && !c.Bool("force") {
		return usagef("%s already exists; use --force to overwrite it", path)
	}
	return nil
}

// printNotes prints the data's notes on stderr, one line each.
func printNotes(c *cli.Context, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(c.App.ErrWriter, "evonas: note: %s\n", n)
	}
}

// batchNotes says which of a search space's batch sizes are larger than
// the training rows: they train as one batch of all the rows, the same
// candidate under another key.
func batchNotes(cfg configs.Config, trainRows int) []string {
	var notes []string
	for _, b := range cfg.SearchSpace.Batch {
		if b > trainRows {
			notes = append(notes, fmt.Sprintf("search_space.batch %d is more than the %d training rows; it trains as one batch of %d", b, trainRows, trainRows))
		}
	}
	return notes
}

// inputFlags are the data options of a search and its memory limit, each
// overriding its config key.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "target", DefaultText: "the config's, else the last column", Usage: "target column of a CSV file (overrides data.target)"},
		&cli.StringFlag{Name: "task", DefaultText: "the config's, else detected", Usage: "binary, multiclass or regression (overrides data.task)"},
		&cli.StringFlag{Name: "missing", DefaultText: "the config's", Usage: "missing values: error, drop (the row) or mean (overrides data.missing)"},
		&cli.StringFlag{Name: "split", DefaultText: "the config's", Usage: "train,validation,test fractions, such as 0.7,0.15,0.15 (overrides data.split)"},
		&cli.IntFlag{Name: "max-memory-mb", DefaultText: "the config's", Usage: "memory one training may need, in MiB; a candidate that needs more is invalid (overrides training.max_memory_mb)"},
	}
}

// ownSplit writes out the split the data set really gets when the config
// leaves the default: seed-sum's is its own 1000/200/200 of 1400 rows, and
// config show and a run's config.yaml should say so. The data are the same
// either way.
func ownSplit(cfg *configs.Config) {
	if cfg.Data.Split == configs.Default().Data.Split {
		f := dataset.DefaultSplit(cfg.Data.Name)
		cfg.Data.Split = configs.Split{Train: f.Train, Val: f.Val, Test: f.Test}
	}
}

// applyInputFlags sets the config keys of the input flags given.
func applyInputFlags(c *cli.Context, cfg *configs.Config) error {
	for _, o := range []struct{ flag, key string }{{"target", "data.target"}, {"task", "data.task"}, {"missing", "data.missing"}, {"max-memory-mb", "training.max_memory_mb"}} {
		if c.IsSet(o.flag) {
			if err := configs.Set(cfg, o.key, c.String(o.flag)); err != nil {
				return usagef("--%s: %v", o.flag, err)
			}
		}
	}
	if !c.IsSet("split") {
		return nil
	}
	parts := strings.Split(c.String("split"), ",")
	if len(parts) != 3 {
		return usagef("--split: want three fractions like 0.7,0.15,0.15, got %q", c.String("split"))
	}
	for i, key := range []string{"data.split.train", "data.split.val", "data.split.test"} {
		if err := configs.Set(cfg, key, strings.TrimSpace(parts[i])); err != nil {
			return usagef("--split: %v", err)
		}
	}
	return nil
}

// strayHint says what a positional argument a command does not take was
// probably meant to be, among the flags the command has.
func strayHint(cmd *cli.Command, arg string) string {
	if strings.HasPrefix(arg, "-") && len(arg) > 1 {
		return ""
	}
	flag := func(name string) string {
		if findFlag(cmd.Flags, name) == nil {
			return ""
		}
		return fmt.Sprintf(" (did you mean --%s %s?)", name, arg)
	}
	switch {
	case slices.Contains(configs.Embedded(), arg):
		return flag("config")
	case isBuiltinData(arg):
		return flag("data")
	}
	st, err := os.Stat(arg)
	if err != nil {
		return ""
	}
	lower := strings.ToLower(arg)
	switch {
	case st.IsDir():
		if _, err := os.Stat(filepath.Join(arg, "run.json")); err == nil {
			return fmt.Sprintf(" (did you mean evonas resume %s?)", arg)
		}
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		return flag("config")
	case strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".csv.gz"):
		return flag("data")
	case strings.HasSuffix(lower, ".json") && findFlag(cmd.Flags, "model") != nil:
		return flag("model")
	}
	return ""
}

func isBuiltinData(name string) bool {
	for _, b := range dataset.Builtins() {
		if b.Name == name {
			return true
		}
	}
	return false
}

// interspersed moves the flags that follow a command's positional
// arguments in front of them: urfave/cli stops parsing flags at the first
// argument, and `evonas resume DIR --workers 2` is how people type. Flags
// are found by the command's own definitions (a flag that is not boolean
// takes the next argument as its value); "--" ends the flags.
//
// It also turns `evonas help CMD` for a command with subcommands into
// `evonas CMD --help`, which lists them (urfave/cli's help command prints
// such a command without its subcommands).
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	if (args[1] == "help" || args[1] == "h") && len(args) > 2 {
		if c := findCommand(app.Commands, args[2]); c != nil && len(c.Subcommands) > 0 {
			return append(append([]string{args[0]}, args[2:]...), "--help")
		}
	}
	cmds := app.Commands
	i := 1
	var cmd *cli.Command
	for i < len(args) {
		next := findCommand(cmds, args[i])
		if next == nil {
			break
		}
		cmd, cmds = next, next.Subcommands
		i++
	}
	if cmd == nil || len(cmd.Subcommands) > 0 {
		return args
	}
	var flags, positional []string
	for j := i; j < len(args); j++ {
		a := args[j]
		if a == "--" {
			positional = append(positional, args[j:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := findFlag(cmd.Flags, name); f != nil && takesValue(f) && j+1 < len(args) {
			flags = append(flags, args[j+1])
			j++
		}
	}
	out := append([]string(nil), args[:i]...)
	return append(append(out, flags...), positional...)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.Name == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	switch f.(type) {
	case *cli.BoolFlag:
		return false
	}
	return true
}
