package main

import (
	"errors"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/run"
)

func evolveCommand() *cli.Command {
	return &cli.Command{
		Name:  "evolve",
		Usage: "search for the best architecture with a genetic algorithm",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "config", Value: "default", Usage: "run config: a YAML file or a shipped config (" + strings.Join(configs.Embedded(), ", ") + ")"},
			&cli.StringFlag{Name: "data", Usage: "built-in data set or CSV file (overrides data.name)"},
			&cli.IntFlag{Name: "population", DefaultText: "the config's", Usage: "individuals per island (overrides evolution.population)"},
			&cli.IntFlag{Name: "generations", DefaultText: "the config's", Usage: "generations after the initial population (overrides evolution.generations)"},
			&cli.IntFlag{Name: "budget", DefaultText: "the config's", Usage: "stop after the generation in which the trainings reach N, so up to a population more (overrides budget.evaluations)"},
			&cli.Uint64Flag{Name: "seed", DefaultText: "the config's", Usage: "run seed (overrides seed)"},
			workersFlag(),
			&cli.StringFlag{Name: "out", Usage: "run directory (default: runs/<time>-<config name>)"},
			jsonFlag(),
			quietFlag(),
		}, append(append(inputFlags(), queueFlags()...), tableFlags()...)...),
		Before: noArgs,
		Action: func(c *cli.Context) error { return runStrategy(c, run.GA, 0) },
	}
}

func randomCommand() *cli.Command {
	// evolve's flags, but those whose meaning differs: random search stops
	// at its budget exactly, and its directory's name says random.
	flags := evolveCommand().Flags
	for i, f := range flags {
		switch f.Names()[0] {
		case "budget":
			flags[i] = &cli.IntFlag{Name: "budget", DefaultText: "the config's", Usage: "stop when the trainings reach N: random search has no generation to finish (overrides budget.evaluations; --evaluations, when given, overrides both)"}
		case "out":
			flags[i] = &cli.StringFlag{Name: "out", Usage: "run directory (default: runs/<time>-<config name>-random)"}
		case "population":
			flags[i] = &cli.IntFlag{Name: "population", DefaultText: "the config's", Usage: "without a budget, trainings are what evolution would spend: population x islands x (generations + 1) (overrides evolution.population)"}
		case "generations":
			flags[i] = &cli.IntFlag{Name: "generations", DefaultText: "the config's", Usage: "without a budget, see --population (overrides evolution.generations)"}
		}
	}
	flags = append(flags, &cli.IntFlag{Name: "evaluations", DefaultText: "the config's budget, else what its evolution would spend: population x islands x (generations + 1)", Usage: "trainings to run"})
	return &cli.Command{
		Name:   "random",
		Usage:  "random search over the config's search space: the baseline evolution must beat",
		Flags:  flags,
		Before: noArgs,
		Action: func(c *cli.Context) error {
			n := c.Int("evaluations")
			if c.IsSet("evaluations") && n < 1 {
				return usagef("--evaluations: want at least 1, got %d", n)
			}
			return runStrategy(c, run.Random, n)
		},
	}
}

// runStrategy is the evolve and random commands: one search into a run
// directory, a table of the best architectures or summary.json.
func runStrategy(c *cli.Context, strategy string, evaluations int) error {
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	if tableOf(c, cfg) != "" {
		return runTableStrategy(c, cfg, strategy, evaluations)
	}
	s, err := run.New(cfg, strategy, evaluations, c.String("out"))
	if err != nil {
		return err
	}
	return launchSearch(c, s)
}

// launchSearch runs a search (new or resumed) with progress on stderr and
// prints its result.
func launchSearch(c *cli.Context, s *run.Search) error {
	su, err := setup(c)
	if err != nil {
		return err
	}
	sum, res, err := s.Launch(c.Context, su)
	if err != nil {
		return stopped(c, err)
	}
	return printResult(c, sum, func(w io.Writer) error { run.WriteResult(w, *sum, res, s.Data, s.Dir); return nil })
}

// setup is how a search or comparison runs: its command line, the queue
// of --queue, progress on stderr (a bar on a terminal, else lines; none
// with --quiet or --json).
func setup(c *cli.Context) (run.Setup, error) {
	q, err := queueOptions(c)
	mode := run.ModeFor(c.App.ErrWriter, c.Bool("quiet") || c.Bool("json"))
	return run.Setup{Command: commandLine(c), Queue: q, Display: run.NewProgress(c.App.ErrWriter, mode)}, err
}

// stopped is the error of a run that stopped (run.StoppedError): by a
// signal or because the queue cannot go on (its server gone for good, a
// job no worker can run), what was done is saved and the message says how
// to go on.
func stopped(c *cli.Context, err error) error {
	var se *run.StoppedError
	if !errors.As(err, &se) {
		return err
	}
	if c.Context.Err() != nil {
		return interrupted{se.Hint(c.String("queue"), true), c.Context.Err()}
	}
	return errors.New(se.Hint(c.String("queue"), false))
}

// interrupted is a run stopped by a signal (exit status 130).
type interrupted struct {
	msg string
	err error
}

func (e interrupted) Error() string { return e.msg }
func (e interrupted) Unwrap() error { return e.err }
