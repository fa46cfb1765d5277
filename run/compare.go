package run

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
)

// Variant is one strategy of a comparison: a config to evolve with.
type Variant struct {
	Name   string
	Config configs.Config
}

// Comparison runs every variant's evolution and random search under seeds
// FirstSeed..FirstSeed+Seeds-1 (1..Seeds by default) with the same budget, each into its own search directory, then
// analyses, plots and reports. NewComparison prepares a new one and
// ReopenComparison one to resume; Create makes a new one's directory; Run
// runs it.
type Comparison struct {
	Kind     string // KindCompare or KindSweep
	Title    string // of report.md
	Variants []Variant
	Seeds    int
	// FirstSeed is the first seed (0 means 1): a comparison under fresh
	// seeds checks what an earlier one under 1..N found.
	FirstSeed int
	Budget    int // trainings per search
	Dir       string
	Command   string // the command line, for the report

	Queue    *Queue   // train through this queue; nil: in this process
	Observer Observer // progress of every search; nil for none
	// Starting, when set, is called before each search.
	Starting func(strategy string, seed int)

	start   time.Time
	resumed bool
	madeBy  string        // a resumed comparison's run.json's Evonas
	first   *dataset.Data // the data of seed 1
}

// setByComparison are the config keys a comparison decides for every
// search itself, whatever the variants' configs say: variants that differ
// only in them would run the same searches. why says so to the user.
var setByComparison = []struct {
	key, why string
	field    func(*configs.Config) any // a pointer to the key's field
}{
	{"seed", "a comparison sets the seed of each run (--seeds, --first-seed)", func(c *configs.Config) any { return &c.Seed }},
	{"budget.evaluations", "a comparison gives every strategy one budget (--budget sets it)", func(c *configs.Config) any { return &c.Budget.Evaluations }},
	{"evolution.generations", "a comparison runs every evolution until its budget is spent (--budget sets it)", func(c *configs.Config) any { return &c.Evolution.Generations }},
	{"workers", "workers do not change results (--workers sets them)", func(c *configs.Config) any { return &c.Workers }},
}

// checkDistinct refuses variants whose configs differ only in keys a
// comparison sets itself (setByComparison), naming the keys: the user
// meant them to differ, and their searches would be the same. Configs
// that are the same in every key (a config given twice) are left alone.
func checkDistinct(vs []Variant) error {
	for i, a := range vs {
		for _, b := range vs[:i] {
			x, y := b.Config, a.Config
			x.Name, y.Name = "", ""
			var keys, whys []string
			for _, k := range setByComparison {
				px, py := reflect.ValueOf(k.field(&x)).Elem(), reflect.ValueOf(k.field(&y)).Elem()
				if !px.Equal(py) {
					keys, whys = append(keys, k.key), append(whys, k.why)
					px.SetZero()
					py.SetZero()
				}
			}
			if len(keys) > 0 && reflect.DeepEqual(x, y) {
				return inputf("configs %s and %s differ only in %s, and %s: their searches would be the same", b.Name, a.Name, strings.Join(keys, " and "), strings.Join(whys, "; "))
			}
		}
	}
	return nil
}

// MaxSeeds is the most seeds a comparison runs each strategy under.
const MaxSeeds = 100000

// NewComparison prepares a comparison of variants, whose configs it
// validates, into dir, by default runs/<time>-<kind>. Names are made
// unique, and a variant cannot take random search's name. budget 0 is the
// first variant's random search budget. It loads the data of the first
// seed, so that bad data fail before any directory exists. Fewer than one
// seed or more than MaxSeeds, or a negative budget, is an OptionError.
func NewComparison(kind, title string, variants []Variant, seeds, budget int, dir string) (*Comparison, error) {
	if seeds < 1 {
		return nil, optionf("seeds", "want at least 1, got %d", seeds)
	}
	if seeds > MaxSeeds {
		return nil, optionf("seeds", "want at most %d, got %d", MaxSeeds, seeds)
	}
	if budget < 0 {
		return nil, optionf("budget", "want at least 1, got %d", budget)
	}
	c := &Comparison{Kind: kind, Title: title, Seeds: seeds, Budget: budget, Dir: dir, start: time.Now()}
	names := map[string]int{}
	for _, v := range variants {
		if v.Name == search.Baseline {
			v.Name = "random-config"
		}
		if n := names[v.Name]; n > 0 {
			v.Name = fmt.Sprintf("%s-%d", v.Name, n+1)
		}
		names[v.Name]++
		c.Variants = append(c.Variants, v)
	}
	if len(c.Variants) == 0 {
		return nil, inputf("%s: no strategies to compare", kind)
	}
	// Each strategy's runs go into a directory of its name written with
	// safe characters only; two names may give one directory.
	dirs := map[string]string{safeName(search.Baseline): search.Baseline}
	for _, v := range c.Variants {
		if other, ok := dirs[safeName(v.Name)]; ok {
			return nil, inputf("strategies %s and %s would share the directory %s (a strategy's directory keeps only a-z, A-Z, 0-9 and ._=+,- of its name): rename one (its config's name)", other, v.Name, safeName(v.Name))
		}
		dirs[safeName(v.Name)] = v.Name
	}
	for _, v := range c.Variants {
		if err := v.Config.Validate(); err != nil {
			return nil, err
		}
	}
	first := c.Variants[0].Config
	for _, v := range c.Variants[1:] {
		if !v.Config.Data.Same(first.Data) {
			return nil, inputf("configs %s and %s use different data; give --data to compare them on the same", c.Variants[0].Name, v.Name)
		}
	}
	if err := checkDistinct(c.Variants); err != nil {
		return nil, err
	}
	if c.Budget == 0 {
		c.Budget = RandomEvaluations(first, 0)
		// The first variant's budget is every strategy's: another's own
		// budget would be dropped without a word.
		for _, v := range c.Variants[1:] {
			if b := v.Config.Budget.Evaluations; b > 0 && b != c.Budget {
				return nil, inputf("config %s sets budget.evaluations %d, but the comparison's budget is config %s's, %d: a comparison gives every strategy one budget; choose it with --budget", v.Name, b, c.Variants[0].Name, c.Budget)
			}
		}
	}
	var err error
	if c.first, err = c.data(1); err != nil {
		return nil, err
	}
	for _, v := range c.Variants {
		if err := checkFolds(v.Config, c.first, nil); err != nil {
			return nil, err
		}
		if err := checkMetric(v.Config, c.first); err != nil {
			return nil, err
		}
		// The records of a run that selects on balanced accuracy carry
		// it, the others' do not: runs are judged by one metric.
		if b, b0 := v.Config.Objective.Metric == fitness.BalancedMetric, c.Variants[0].Config.Objective.Metric == fitness.BalancedMetric; b != b0 {
			return nil, inputf("objective.metric: config %s sets %s, config %s %s: a comparison judges every strategy by one metric, and only runs that select on balanced accuracy record it; give every config objective.metric: balanced, or none of them", v.Name, v.Config.Objective.Metric, c.Variants[0].Name, c.Variants[0].Config.Objective.Metric)
		}
	}
	if c.Dir == "" {
		c.Dir = filepath.Join("runs", c.start.Format("20060102-150405")+"-"+kind)
	}
	return c, nil
}

// LoadVariants loads the configs of a comparison, each a file or a shipped
// name (configs.LoadNamed), as variants named by their configs' names. No
// names is the default config.
func LoadVariants(names []string) ([]Variant, error) {
	if len(names) == 0 {
		names = []string{"default"}
	}
	var variants []Variant
	for _, n := range names {
		cfg, err := configs.LoadNamed(n)
		if err != nil {
			return nil, err
		}
		variants = append(variants, Variant{Name: cfg.Name, Config: cfg})
	}
	return variants, nil
}

// ReopenComparison prepares the resume of the comparison in dir, whose
// run.json is info, with its variants (Variants of info, with at most
// their workers changed): finished searches replay from their logs,
// unfinished ones resume, missing ones start.
func ReopenComparison(dir string, info *Info, variants []Variant) (*Comparison, error) {
	c, err := NewComparison(info.Kind, info.Title, variants, info.Seeds, info.Budget, dir)
	if err != nil {
		return nil, err
	}
	c.Command, c.resumed, c.FirstSeed, c.madeBy = info.Command, true, info.FirstSeed, info.Evonas
	return c, nil
}

// ParseVariants reads the strategies of a comparison's run.json, info,
// from directory dir.
func (info *Info) ParseVariants(dir string) ([]Variant, error) {
	var variants []Variant
	for _, v := range info.Variants {
		cfg, err := parseSaved([]byte(v.Config), filepath.Join(dir, InfoFile)+" ("+v.Name+")")
		if err != nil {
			return nil, err
		}
		variants = append(variants, Variant{Name: v.Name, Config: cfg})
	}
	if len(variants) == 0 {
		return nil, inputf("%s: run.json lists no strategies", dir)
	}
	return variants, nil
}

// data is the data of a seed: every strategy of a seed sees the same
// split, the data seed being the run seed.
func (c *Comparison) data(seed int) (*dataset.Data, error) {
	dcfg := c.Variants[0].Config
	dcfg.Seed = uint64(seed)
	return LoadData(dcfg.Data.Name, DataOptionsOf(dcfg))
}

// Task is the task of the comparison's data.
func (c *Comparison) Task() dataset.Task { return c.first.Task }

// strategies are the variants and random search, last.
func (c *Comparison) strategies() []Variant {
	return append(append([]Variant(nil), c.Variants...), Variant{Name: search.Baseline, Config: c.Variants[0].Config})
}

// Expected is the number of trainings the comparison will make, about.
func (c *Comparison) Expected() int {
	return c.Seeds * (len(c.Variants) + 1) * c.Budget
}

// Create makes a new comparison's directory, refusing one that holds a
// run, and writes its run.json. A resumed comparison has one already.
func (c *Comparison) Create() error {
	if c.resumed {
		return nil
	}
	if _, err := os.Stat(filepath.Join(c.Dir, InfoFile)); err == nil {
		return inputf("%s already holds a %s; choose another --out, or continue it with evonas resume %s", c.Dir, c.Kind, ShellQuote(c.Dir))
	}
	names := []string{SummaryFile, ReportFile, "curves.png", "curves.svg", "final.png"}
	for _, s := range c.strategies() {
		names = append(names, safeName(s.Name))
	}
	if c.FirstSeed < 0 {
		return optionf("first_seed", "want at least 1, got %d", c.FirstSeed)
	}
	// The seeds are FirstSeed..FirstSeed+Seeds-1, which must not wrap
	// round past the largest int (the comparison would run none).
	if first := max(c.FirstSeed, 1); c.Seeds > math.MaxInt-first+1 {
		return optionf("seeds", "%d seeds from seed %d run past the largest seed, %d", c.Seeds, first, math.MaxInt)
	}
	if err := refuseOverwrite(c.Dir, names...); err != nil {
		return err
	}
	if err := makeOutDir(c.Dir); err != nil {
		return err
	}
	info := Info{Version: InfoVersion, Kind: c.Kind, Command: c.Command, Seeds: c.Seeds, FirstSeed: c.FirstSeed, Budget: c.Budget, Title: c.Title, Evonas: Version}
	for _, v := range c.Variants {
		y, err := v.Config.YAML()
		if err != nil {
			return err
		}
		info.Variants = append(info.Variants, VariantInfo{Name: v.Name, Config: string(y)})
	}
	return writeJSON(filepath.Join(c.Dir, InfoFile), info)
}

// Run runs every search, seed by seed, then writes summary.json, the plots
// and report.md, into the comparison's directory: Create makes a new one's.
func (c *Comparison) Run(ctx context.Context) (*ComparisonSummary, error) {
	if _, err := os.Stat(filepath.Join(c.Dir, InfoFile)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("run: %s holds no comparison: Create makes a new comparison's directory", c.Dir)
	}
	// Held while it runs, as each search holds its own: a second process
	// (a resume of it) is refused, and Dir.Status reads it as running.
	unlock, err := lockDir(c.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	strategies := c.strategies()
	runs := make([]search.StrategyRuns, len(strategies))
	for i, s := range strategies {
		runs[i].Name = s.Name
	}
	for _, s := range strategies {
		if err := checkFolds(s.Config, c.first, c.Queue); err != nil {
			return nil, err
		}
	}
	var task dataset.Task
	first := max(c.FirstSeed, 1)
	for i := range c.Seeds {
		seed := first + i
		d := c.first
		if seed != 1 {
			var err error
			if d, err = c.data(seed); err != nil {
				return nil, err
			}
		}
		task = d.Task
		for i, s := range strategies {
			cfg := s.Config
			cfg.Seed = uint64(seed)
			cfg.Budget.Evaluations = c.Budget
			strategy := GA
			if s.Name == search.Baseline {
				strategy = Random
			} else {
				// Enough generations to spend the budget; the budget stops it.
				per := cfg.Evolution.Population * cfg.Evolution.Islands
				cfg.Evolution.Generations = max(cfg.Evolution.Generations, 20*((c.Budget+per-1)/per))
			}
			dir := memberDir(c.Dir, s.Name, seed)
			_, statErr := os.Stat(filepath.Join(dir, EvaluationsFile))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			r := &Search{Config: cfg, Strategy: strategy, Evaluations: c.Budget, Data: d, Dir: dir, keep: true, Start: time.Now(), SkipBest: true,
				Observer: c.Observer, Resume: c.resumed && statErr == nil, Queue: c.Queue, madeBy: c.madeBy}
			if c.Starting != nil {
				c.Starting(s.Name, seed)
			}
			if _, _, err := r.Run(ctx); err != nil {
				return nil, err
			}
			runs[i].Runs = append(runs[i].Runs, search.Run{Seed: uint64(seed), Records: r.records, Winner: r.winner})
		}
	}
	// Two or more objectives (the first variant's): hypervolumes too.
	cmp, err := search.Analyze(runs, c.Budget, task, search.Pareto{Objectives: c.Variants[0].Config.Objective.Minimize})
	if err != nil {
		return nil, err
	}
	if c.first.Test.N == 0 {
		cmp.DropTest()
	}
	sum := &ComparisonSummary{Comparison: cmp, Seeds: c.Seeds, Data: c.Variants[0].Config.Data.Name, Command: c.Command, WallS: time.Since(c.start).Seconds()}
	if c.Kind == KindSweep {
		sum.Ranking = rank(cmp)
	}
	return sum, WriteReport(c.Dir, sum, c.Title)
}

// WriteReport writes a comparison's summary.json, its plots (curves.png,
// curves.svg, final.png; hypervolume.png and .svg with two or more
// objectives) and report.md into dir.
func WriteReport(dir string, sum *ComparisonSummary, title string) error {
	if err := writeJSON(filepath.Join(dir, SummaryFile), sum); err != nil {
		return err
	}
	if err := report.Curves(sum.Comparison, filepath.Join(dir, "curves.png"), filepath.Join(dir, "curves.svg")); err != nil {
		return err
	}
	if err := report.Boxes(sum.Comparison, filepath.Join(dir, "final.png")); err != nil {
		return err
	}
	if sum.Frame != nil {
		if err := report.Hypervolumes(sum.Comparison, filepath.Join(dir, "hypervolume.png"), filepath.Join(dir, "hypervolume.svg")); err != nil {
			return err
		}
	}
	var md strings.Builder
	report.Markdown(&md, sum.Comparison, title, sum.Command)
	if len(sum.Ranking) > 0 {
		split := "test"
		if sum.NoTest {
			split = "validation"
		}
		md.WriteString("\n## Ranking\n\nVariants by median final " + split + " " + sum.MetricName + ":\n\n")
		for _, r := range sum.Ranking {
			md.WriteString(markdownRank(r, sum.Comparison) + "\n")
		}
		md.WriteString("\n\"Beats random\" marks a two-sided Mann-Whitney U test against random search with p < 0.05 on final " + split + " " + sum.MetricName + ", one test per variant, not corrected for their number. Random search samples the first variant's search space with the first variant's training settings.\n")
	}
	return model.WriteFileAtomic(filepath.Join(dir, ReportFile), []byte(md.String()))
}

// markdownRank is a line of a sweep's ranking ("2. name: median ...") with
// the variant's name as Markdown text (report.MarkdownText).
func markdownRank(line string, cmp *search.Comparison) string {
	n, rest, _ := strings.Cut(line, ". ")
	for _, s := range cmp.Strategies {
		if after, ok := strings.CutPrefix(rest, s.Name+": median "); ok {
			return n + ". " + report.MarkdownText(s.Name) + ": median " + after
		}
	}
	return line
}

// ReportTitle is the title to draw a comparison's report again with: its
// run.json's, else the title of its report.md, else by its kind.
func ReportTitle(dir string, sum *ComparisonSummary) string {
	title := "Comparison"
	if len(sum.Ranking) > 0 {
		title = "Sweep"
	}
	if ri, err := ReadInfo(dir); err == nil && ri.Title != "" {
		title = ri.Title
	} else if md, err := os.ReadFile(filepath.Join(dir, ReportFile)); err == nil {
		// Keep the title the report was written with.
		if first, _, _ := strings.Cut(string(md), "\n"); strings.HasPrefix(first, "# ") {
			title = strings.TrimPrefix(first, "# ")
		}
	}
	return title
}

// Axis is a key of a sweep and the values it takes.
type Axis struct {
	Key    string
	Values []string
}

// LoadSweep loads the base config of a sweep (a file or a shipped name)
// and its variants, one per combination of the values of sets, each
// KEY=V1,V2,... (ParseAxes, SweepVariants). It returns them with the
// title of the sweep's report.
func LoadSweep(base string, sets []string) ([]Variant, string, error) {
	cfg, err := configs.LoadNamed(base)
	if err != nil {
		return nil, "", err
	}
	axes, err := ParseAxes(sets)
	if err != nil {
		return nil, "", err
	}
	vs, err := SweepVariants(cfg, axes)
	return vs, "Sweep of " + cfg.Name, err
}

// SweepVariants is the cartesian product of the axes applied to base,
// each variant named by its values; no axis, or a bad key or value, is an
// error before anything runs.
func SweepVariants(base configs.Config, axes []Axis) ([]Variant, error) {
	if len(axes) == 0 {
		return nil, inputf("sweep: give at least one --set KEY=V1,V2")
	}
	vs := []Variant{{Config: base}}
	for _, ax := range axes {
		for _, k := range setByComparison {
			if ax.Key == k.key {
				return nil, inputf("--set %s: %s, so its variants would run the same searches", k.key, k.why)
			}
		}
		var next []Variant
		for _, v := range vs {
			for _, val := range ax.Values {
				cfg := v.Config
				if err := configs.Set(&cfg, ax.Key, val); err != nil {
					return nil, inputf("--set %s=%s: %v", ax.Key, val, err)
				}
				name := lastKey(ax.Key) + "=" + val
				if v.Name != "" {
					name = v.Name + " " + name
				}
				next = append(next, Variant{Name: name, Config: cfg})
			}
		}
		vs = next
	}
	for i, v := range vs {
		if err := v.Config.Validate(); err != nil {
			return nil, inputf("variant %s: %v", v.Name, err)
		}
		// A value listed twice (4,4 or 0.1,0.10), or a key that does not
		// change the search (name), would run the same searches twice.
		for _, w := range vs[:i] {
			x, y := w.Config, v.Config
			x.Name, y.Name = "", ""
			if reflect.DeepEqual(x, y) {
				return nil, inputf("sweep: variants %s and %s are the same config, so they would run the same searches (a value listed twice, or a key that does not change the search)", w.Name, v.Name)
			}
		}
	}
	return vs, nil
}

func lastKey(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}

// rank orders a comparison's variants by median final test metric (mean,
// then name, to break ties) and marks those that beat random significantly
// on it.
func rank(cmp *search.Comparison) []string {
	type row struct {
		name         string
		median, mean float64
	}
	// Without a test split, by validation.
	split, metric, final := "test", "final_test", func(s search.StrategyResult) search.Summary { return s.FinalTest }
	if cmp.NoTest {
		split, metric, final = "val", "final_val", func(s search.StrategyResult) search.Summary { return s.FinalVal }
	}
	var rows []row
	for _, s := range cmp.Strategies {
		if s.Name != search.Baseline {
			rows = append(rows, row{s.Name, final(s).Median, final(s).Mean})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].median != rows[j].median {
			return rows[i].median > rows[j].median
		}
		if rows[i].mean != rows[j].mean {
			return rows[i].mean > rows[j].mean
		}
		return rows[i].name < rows[j].name
	})
	beats := map[string]bool{}
	for _, t := range cmp.Tests {
		if t.Vs == search.Baseline && t.Metric == metric && t.PValue < 0.05 && t.A12 > 0.5 {
			beats[t.Strategy] = true
		}
	}
	var out []string
	for i, r := range rows {
		mark := ""
		if beats[r.name] {
			mark = " (beats random, p < 0.05, uncorrected)"
		}
		out = append(out, fmt.Sprintf("%d. %s: median %s %s %.4f%s", i+1, r.name, split, cmp.MetricName, r.median, mark))
	}
	return out
}
