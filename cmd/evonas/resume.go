package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	"github.com/evonas/evonas/configs"
)

// resumable are the config keys a resume may change: they do not change
// what the evaluations already made mean.
var resumable = map[string]bool{
	"evolution.generations": true,
	"budget.evaluations":    true,
	"workers":               true,
	"stop.target_fitness":   true,
	"stop.no_improvement":   true,
}

// sameMeaning reports the first key, other than the resumable ones, whose
// value differs between the run's config and the one to resume with.
func sameMeaning(was, now configs.Config) error {
	a, err := flatConfig(was)
	if err != nil {
		return err
	}
	b, err := flatConfig(now)
	if err != nil {
		return err
	}
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !resumable[k] && a[k] != b[k] {
			return fmt.Errorf("%s changed from %s to %s since the run started; resume cannot change it (it changes the meaning of past evaluations): start a new run", k, a[k], b[k])
		}
	}
	return nil
}

// flatConfig maps every dotted key of a config to its value, as YAML.
func flatConfig(c configs.Config) (map[string]string, error) {
	b, err := c.YAML()
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(prefix, c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if prefix != "" {
					k = prefix + "." + k
				}
				walk(k, n.Content[i+1])
			}
		default:
			v, _ := yaml.Marshal(n)
			out[prefix] = strings.TrimSpace(string(v))
		}
	}
	walk("", &root)
	return out, nil
}

func resumeCommand() *cli.Command {
	return &cli.Command{
		Name:      "resume",
		Usage:     "continue an interrupted run (evolve, random, compare or sweep) from its directory",
		ArgsUsage: "DIR",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "generations", DefaultText: "the run's", Usage: "evolve: generations after the initial population (evolution.generations)"},
			&cli.IntFlag{Name: "budget", DefaultText: "the run's", Usage: "evolve: stop after this many trainings (budget.evaluations)"},
			&cli.IntFlag{Name: "evaluations", DefaultText: "the run's", Usage: "random: trainings to run"},
			&cli.IntFlag{Name: "workers", DefaultText: "the run's", Usage: "concurrent trainings, 0 for one per CPU"},
			&cli.StringSliceFlag{Name: "set", Usage: "KEY=VALUE for a key a resume may change: " + strings.Join(resumableKeys(), ", ")},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the result"},
		}, queueFlags()...),
		Action: runResume,
	}
}

func resumableKeys() []string {
	var keys []string
	for k := range resumable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func runResume(c *cli.Context) error {
	if c.NArg() > 1 && strings.HasPrefix(c.Args().Get(1), "-") {
		return usagef("resume: flags go before the directory: evonas resume %s %s", strings.Join(c.Args().Slice()[1:], " "), c.Args().First())
	}
	if c.NArg() != 1 {
		return usagef("resume: want one run directory, got %d arguments", c.NArg())
	}
	dir := c.Args().First()
	ri, err := readRunInfo(dir)
	if err != nil {
		return err
	}
	switch ri.Kind {
	case "compare", "sweep":
		return resumeComparison(c, dir, ri)
	case "evolve", "random":
	default:
		return usagef("%s: unknown kind of run %q", filepath.Join(dir, "run.json"), ri.Kind)
	}
	cfg, err := configs.Load(filepath.Join(dir, "config.yaml"))
	if err != nil {
		return err
	}
	for _, o := range []struct{ flag, key string }{{"generations", "evolution.generations"}, {"budget", "budget.evaluations"}, {"workers", "workers"}} {
		if c.IsSet(o.flag) {
			if err := configs.Set(&cfg, o.key, c.String(o.flag)); err != nil {
				return usagef("--%s: %v", o.flag, err)
			}
		}
	}
	for _, kv := range c.StringSlice("set") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usagef("--set %q: want KEY=VALUE", kv)
		}
		if !resumable[k] {
			return usagef("--set %s: resume cannot change it (it changes the meaning of past evaluations); it may change %s", k, strings.Join(resumableKeys(), ", "))
		}
		if err := configs.Set(&cfg, k, v); err != nil {
			return usagef("--set: %v", err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := checkQueueFidelity(c, cfg); err != nil {
		return err
	}
	// run.json holds the config the run started with: a config.yaml
	// edited since (before the first checkpoint, too) is caught here.
	if ri.Config != "" {
		was, err := configs.Parse([]byte(ri.Config), filepath.Join(dir, "run.json"))
		if err != nil {
			return err
		}
		if err := sameMeaning(was, cfg); err != nil {
			return usagef("%s: %v", dir, err)
		}
	}
	evaluations := ri.Evaluations
	if c.IsSet("evaluations") {
		if ri.Strategy != "random" {
			return usagef("--evaluations: only a random search has it; give --budget or --generations")
		}
		if evaluations = c.Int("evaluations"); evaluations < 1 {
			return usagef("--evaluations: want at least 1, got %d", evaluations)
		}
	}
	d, err := loadData(cfg.Data.Name, dataOptionsOf(cfg))
	if err != nil {
		return err
	}
	if ri.Data != "" && ri.Data != d.Fingerprint() {
		return usagef("%s: the data differ from the run's (fingerprint %s, now %s): resume needs the same data", dir, short(ri.Data), short(d.Fingerprint()))
	}
	q, err := openQueue(c, workersOf(cfg))
	if err != nil {
		return err
	}
	defer q.close()
	run := &searchRun{cfg: cfg, strategy: ri.Strategy, evaluations: evaluations, data: d, dir: dir, saveBest: true, resume: true, start: time.Now(), queue: q}
	return finishStrategy(c, run)
}
