package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/run"
)

// configFlags are the flags that override a config key, in the order they
// apply; a search's error from Validate names those that are set
// (withFlags).
var configFlags = []struct{ flag, key string }{
	{"data", "data.name"}, {"population", "evolution.population"}, {"generations", "evolution.generations"},
	{"budget", "budget.evaluations"}, {"seed", "seed"}, {"workers", "workers"},
	{"target", "data.target"}, {"task", "data.task"}, {"missing", "data.missing"}, {"ignore", "data.ignore"},
	{"max-memory-mb", "training.max_memory_mb"}, {"split", "data.split"},
}

// inputFlags are the data options of a search and its memory limit, each
// overriding its config key.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "target", DefaultText: "the config's, else the last column", Usage: "target column of a CSV file (overrides data.target)"},
		&cli.StringFlag{Name: "task", DefaultText: "the config's, else detected", Usage: "binary, multiclass or regression (overrides data.task)"},
		&cli.StringFlag{Name: "missing", DefaultText: "the config's", Usage: "missing values: error, drop (the row) or mean (overrides data.missing)"},
		&cli.StringFlag{Name: "ignore", DefaultText: "the config's", Usage: "columns to leave out, such as id,name (overrides data.ignore)"},
		&cli.StringFlag{Name: "split", DefaultText: "the config's", Usage: "train,validation,test fractions, such as 0.7,0.15,0.15 (overrides data.split)"},
		&cli.IntFlag{Name: "max-memory-mb", DefaultText: "the config's", Usage: "memory one training may need, in MiB; a candidate that needs more is invalid (overrides training.max_memory_mb)"},
	}
}

// override sets the config key of each flag of configFlags that is set,
// but for those in skip (a flag that means something else to the command).
func override(c *cli.Context, cfg *configs.Config, skip ...string) error {
	for _, o := range configFlags {
		if c.IsSet(o.flag) && !slices.Contains(skip, o.flag) {
			if err := configs.Override(cfg, o.key, c.String(o.flag)); err != nil {
				return usagef("--%s: %v", o.flag, err)
			}
		}
	}
	return nil
}

// loadConfig reads --config, applies the flags that override it, and
// validates the result.
func loadConfig(c *cli.Context) (configs.Config, error) {
	cfg, err := configs.LoadNamed(c.String("config"))
	if err != nil {
		return cfg, err
	}
	if err := override(c, &cfg); err != nil {
		return cfg, err
	}
	run.OwnSplit(&cfg)
	if err := cfg.Validate(); err != nil {
		return cfg, withFlags(c, err)
	}
	return cfg, nil
}

// withFlags adds to a config's error the flags that may have caused it:
// the flag that set the key it names (" (from --task foo)"), else every
// flag of configFlags that is set (" (with --data iris, --population 4)").
func withFlags(c *cli.Context, err error) error {
	var ce *configs.Error
	errors.As(err, &ce)
	var set []string
	for _, o := range configFlags {
		if !c.IsSet(o.flag) {
			continue
		}
		f := "--" + o.flag + " " + c.String(o.flag)
		if ce != nil && (ce.Key == o.key || strings.HasPrefix(ce.Key, o.key+".")) {
			return fmt.Errorf("%w (from %s)", err, f)
		}
		set = append(set, f)
	}
	if len(set) == 0 {
		return err
	}
	return fmt.Errorf("%w (with %s)", err, strings.Join(set, ", "))
}
