package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/queue"
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
			&cli.IntFlag{Name: "workers", DefaultText: "the config's", Usage: "concurrent trainings, 0 for one per CPU (overrides workers)"},
			&cli.StringFlag{Name: "out", Usage: "run directory (default: runs/<time>-<config name>)"},
			&cli.BoolFlag{Name: "json", Usage: "print summary.json instead of the table"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the result"},
		}, append(append(inputFlags(), queueFlags()...), tableFlags()...)...),
		Before: noArgs,
		Action: runEvolve,
	}
}

// printJSON prints v as indented JSON, as the run's files hold it.
func printJSON(c *cli.Context, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = c.App.Writer.Write(append(b, '\n'))
	return err
}

func runEvolve(c *cli.Context) error {
	return runStrategy(c, run.GA, 0)
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
	if err := checkQueueFidelity(c, cfg); err != nil {
		return err
	}
	s, err := run.New(cfg, strategy, evaluations, c.String("out"))
	if err != nil {
		return err
	}
	q, err := openQueue(c, run.Workers(cfg))
	if err != nil {
		return err
	}
	defer q.Close()
	s.Queue = q
	if err := s.Create(commandLine(c)); err != nil {
		return err
	}
	return finishStrategy(c, s)
}

// finishStrategy runs a search (new or resumed) with progress on stderr and
// prints its result.
func finishStrategy(c *cli.Context, s *run.Search) error {
	d, dir := s.Data, s.Dir
	p := newProgress(c, s.Expected(), d.Task)
	if s.Strategy == run.GA {
		st := run.SettingsOf(s.Config)
		p.generations, p.budget = st.Generations, st.Budget
	}
	s.Observer = p
	// The run directory is named first, with the bar too: a long run
	// is looked at while it runs.
	if p.lines != nil || p.bar != nil {
		verb := map[string]string{run.GA: "evolving", run.Random: "random search"}[s.Strategy]
		if s.Resume {
			verb = "resuming " + verb
		}
		fmt.Fprintf(c.App.ErrWriter, "%s on %s (%s, %d train rows) with %d workers; run directory %s\n",
			verb, d.Name, d.Task, d.Train.N, run.Workers(s.Config), dir)
	}
	printNotes(c, slices.Concat(d.Notes, run.BatchNotes(s.Config, d.Train.N)))
	sum, res, err := s.Run(c.Context)
	p.finish(c.App.ErrWriter)
	if err != nil {
		if c.Context.Err() != nil {
			return interruptedRun(c, dir)
		}
		if isQueueStop(err) {
			return queueStopped(c, dir, err)
		}
		return err
	}
	if c.Bool("json") {
		return printJSON(c, sum)
	}
	run.WriteResult(c.App.Writer, *sum, res, d, dir)
	return nil
}

// interrupted is a run stopped by a signal: what was done is in its
// directory, and the message says how to go on.
type interrupted struct {
	dir   string
	flags string // flags the resume needs again, such as --queue
	err   error
}

// interruptedRun is the interruption of the run in dir.
func interruptedRun(c *cli.Context, dir string) interrupted {
	e := interrupted{dir: dir, err: c.Context.Err()}
	if q := c.String("queue"); q != "" {
		e.flags = "--queue " + queue.Redact(q) + " "
	}
	return e
}

func (e interrupted) Error() string {
	return fmt.Sprintf("interrupted; every finished evaluation is saved, continue with: evonas resume %s%s", e.flags, e.dir)
}

func (e interrupted) Unwrap() error { return e.err }
