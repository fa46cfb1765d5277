package configs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Names accepted by the string-valued keys, in the order error messages list
// them.
var (
	tasks       = []string{"binary", "multiclass", "regression"}
	missings    = []string{"error", "drop", "mean"}
	activations = []string{"relu", "leaky_relu", "elu", "tanh", "sigmoid", "linear"}
	optimizers  = []string{"adam", "sgd"}
	precisions  = []string{"float32", "float64"}
	schedules   = []string{"const", "cosine"}
	models      = []string{"generational", "steady_state", "down_to_size", "ring", "mutation_only", "regularized", "async_regularized", "nsga2"}
	objectives  = []string{"error", "params", "flops", "latency"}
	selections  = []string{"tournament", "roulette", "elitism"}
	speciations = []string{"none", "kmedoids", "interval"}
)

// Limits of the search space.
const (
	maxLayers  = 16
	maxWidth   = 4096
	maxBatch   = 65536
	maxLR      = 10
	maxEpochs  = 10000
	maxRepeats = 20
	maxFolds   = 20
	splitTol   = 1e-6

	// Bounds of what a search holds in memory, far above any useful
	// value: a mistyped population of 10⁹ is an error, not a fatal
	// out-of-memory. maxMemoryMB keeps the limit in bytes within int64.
	maxIndividuals = 100000 // population × islands
	maxIslands     = 1000
	maxHallOfFame  = 100000
	maxMemoryMB    = 1 << 30
)

// Validate checks every range and cross-field rule of c. It is for configs
// built in code or changed by Set; Parse and Load validate already. The error
// is an *Error naming the first offending key, without file or line.
func (c Config) Validate() error {
	if err := c.validate(); err != nil {
		return err
	}
	return nil
}

func (c Config) validate() *Error {
	var v validator
	v.nonEmpty("name", c.Name)
	if strings.ContainsFunc(c.Name, unicode.IsControl) {
		// A name heads a row of every table a comparison prints and writes.
		v.fail("name", "must not hold a control character (a newline or tab), got %q", c.Name)
	}
	v.atLeast("workers", c.Workers, 0)

	d := c.Data
	switch {
	case d.Name != "" && d.Table != "":
		v.fail("data.table", "a table replaces the data set: give data.table or data.name (%q), not both", d.Name)
	case d.Table == "":
		v.nonEmpty("data.name", d.Name)
	}
	if d.Task != "" {
		v.oneOf("data.task", "task", d.Task, tasks, `, or "" to infer it`)
	}
	v.oneOf("data.missing", "missing-value policy", d.Missing, missings, "")
	seen := map[string]int{}
	for i, col := range d.Ignore {
		ek := fmt.Sprintf("data.ignore[%d]", i)
		if j, dup := seen[col]; dup {
			v.fail(ek, "column %q is listed twice (also at data.ignore[%d])", col, j)
		}
		seen[col] = i
		switch {
		case col == "":
			v.fail(ek, "must not be empty")
		case d.Table != "":
			v.fail("data.ignore", "a table has no columns to ignore (data.table is set)")
		case col == d.Target:
			v.fail(ek, "column %q is the target (data.target): it cannot be ignored", col)
		}
	}
	v.floatMin("data.split.train", d.Split.Train, 0, false)
	v.floatMin("data.split.val", d.Split.Val, 0, false)
	v.floatMin("data.split.test", d.Split.Test, 0, true)
	if sum := d.Split.Train + d.Split.Val + d.Split.Test; v.ok() && math.Abs(sum-1) > splitTol {
		v.fail("data.split", "train+val+test must sum to 1, got %s", strconv.FormatFloat(sum, 'g', 6, 64))
	}
	v.atLeast("data.rows", d.Rows, 0)
	v.floatMin("data.noise", d.Noise, 0, true)

	s := c.SearchSpace
	v.intRange("search_space.layers", s.Layers, 0, maxLayers)
	if len(s.Layers.Choices) > 0 {
		v.fail("search_space.layers.choices", "the depth is a range: give min and max (equal to fix it)")
	}
	if len(s.Width.Choices) > 0 {
		v.ints("search_space.width.choices", s.Width.Choices, 1, maxWidth, false)
	} else {
		v.intRange("search_space.width", s.Width, 1, maxWidth)
	}
	v.names("search_space.activations", "activation", s.Activations, activations)
	v.floatDim("search_space.lr", s.LR, 0, false, maxLR, true)
	v.names("search_space.lr_schedule", "schedule", s.LRSchedule, schedules)
	v.ints("search_space.batch", s.Batch, 1, maxBatch, true)
	v.floatDim("search_space.dropout", s.Dropout, 0, true, 1, false)
	v.floatDim("search_space.l2", s.L2, 0, true, 1, true)
	v.names("search_space.optimizers", "optimizer", s.Optimizers, optimizers)

	t := c.Training
	v.between("training.epochs", t.Epochs, 1, maxEpochs)
	v.atLeast("training.patience", t.Patience, 0)
	v.unit("training.momentum", t.Momentum, false)
	v.oneOf("training.precision", "precision", t.Precision, precisions, "")
	v.atLeast("training.max_memory_mb", t.MaxMemoryMB, 1)
	v.noMore("training.max_memory_mb", t.MaxMemoryMB, maxMemoryMB)

	v.floatMin("objective.param_penalty", c.Objective.ParamPenalty, 0, true)
	v.between("objective.repeats", c.Objective.Repeats, 1, maxRepeats)
	v.atLeast("objective.finalists", c.Objective.Finalists, 1)
	v.oneOf("objective.metric", "objective metric", c.Objective.Metric, []string{"metric", "loss", "balanced"}, "")
	if c.Objective.Metric == "balanced" {
		switch {
		case d.Task == "regression":
			v.fail("objective.metric", "balanced accuracy needs classification, data.task is regression; use metric (1 - R²) or loss")
		case d.Table != "":
			v.fail("objective.metric", "a table holds one metric, looked up, not balanced accuracy: balanced needs data.name, not data.table")
		}
	}
	if c.Objective.Folds != 0 {
		v.between("objective.folds", c.Objective.Folds, 2, maxFolds)
		if c.Objective.Repeats < 2 {
			v.fail("objective.folds", "folds rotate the re-evaluations of objective.repeats: needs repeats >= 2, got %d", c.Objective.Repeats)
		}
		if d.Table != "" {
			v.fail("objective.folds", "a table's evaluations are looked up, not trained: folds need data.name, not data.table")
		}
	}
	if len(c.Objective.Minimize) > 0 {
		v.names("objective.minimize", "objective", c.Objective.Minimize, objectives)
	}
	multi := len(c.Objective.Minimize) > 1
	if multi && c.Objective.ParamPenalty != 0 {
		v.fail("objective.param_penalty", "folds size into the error; with objective.minimize listing %d objectives it must be 0, got %s",
			len(c.Objective.Minimize), fmtFloat(c.Objective.ParamPenalty))
	}
	if multi && c.Evolution.Model != "nsga2" {
		v.fail("objective.minimize", "%d objectives need evolution.model nsga2, got %s", len(c.Objective.Minimize), c.Evolution.Model)
	}
	if c.Evolution.Model == "nsga2" && c.Evolution.Speciation.Method != "none" {
		v.fail("evolution.speciation.method", "nsga2 ranks the whole population: must be none, got %q", c.Evolution.Speciation.Method)
	}

	e := c.Evolution
	v.oneOf("evolution.model", "model", e.Model, models, "")
	v.atLeast("evolution.population", e.Population, 2)
	v.noMore("evolution.population", e.Population, maxIndividuals)
	v.atLeast("evolution.generations", e.Generations, 0)
	v.atLeast("evolution.islands", e.Islands, 1)
	v.noMore("evolution.islands", e.Islands, maxIslands)
	if v.ok() && e.Population*e.Islands > maxIndividuals {
		v.fail("evolution.islands", "%d islands of %d individuals make %d, more than %d", e.Islands, e.Population, e.Population*e.Islands, maxIndividuals)
	}
	v.atLeast("evolution.migration.every", e.Migration.Every, 0)
	if e.Migration.Every > 0 && e.Islands < 2 {
		v.fail("evolution.migration.every", "migration needs islands >= 2, got islands %d", e.Islands)
	}
	v.atLeast("evolution.migration.migrants", e.Migration.Migrants, 1)
	v.below("evolution.migration.migrants", e.Migration.Migrants, "population", e.Population)
	v.oneOf("evolution.selection.method", "selection method", e.Selection.Method, selections, "")
	v.atLeast("evolution.selection.size", e.Selection.Size, 2)
	if e.Selection.Method == "tournament" && selects(e.Model) {
		// eaopt draws both parents' contestants without replacement.
		v.below("evolution.selection.size", e.Selection.Size, "population", e.Population)
		if e.Model == "ring" && e.Selection.Size > 3 {
			// The ring model selects among an individual, its child and its neighbour.
			v.fail("evolution.selection.size", "must be <= 3 with the ring model, got %d", e.Selection.Size)
		}
	}
	v.atLeast("evolution.elitism", e.Elitism, 0)
	v.below("evolution.elitism", e.Elitism, "population", e.Population)
	v.oneOf("evolution.speciation.method", "speciation method", e.Speciation.Method, speciations, "")
	if e.Speciation.Method != "none" {
		v.atLeast("evolution.speciation.species", e.Speciation.Species, 2)
		v.atMost("evolution.speciation.species", e.Speciation.Species, "population", e.Population)
		// Each species is evolved on its own, so it must hold enough
		// individuals for a tournament, and two for the other selections
		// (search.Settings.minPerSpecies).
		per := e.Population / max(e.Speciation.Species, 1)
		switch {
		case e.Selection.Method == "tournament" && per < e.Selection.Size+1:
			v.fail("evolution.speciation.species", "%d species of a population of %d leave %d individuals each, fewer than selection.size+1 (%d)",
				e.Speciation.Species, e.Population, per, e.Selection.Size+1)
		case per < 2:
			v.fail("evolution.speciation.species", "%d species of a population of %d leave %d individuals each, fewer than 2",
				e.Speciation.Species, e.Population, per)
		}
	}
	v.unit("evolution.crossover_rate", e.CrossoverRate, true)
	v.unit("evolution.mutation_rate", e.MutationRate, true)
	v.oneOf("evolution.mutation_style", "mutation style", e.MutationStyle, []string{"rates", "local"}, "")
	m := e.Mutation
	for _, r := range []struct {
		key string
		p   float64
	}{
		{"add_layer", m.AddLayer},
		{"remove_layer", m.RemoveLayer},
		{"resize_layer", m.ResizeLayer},
		{"activation", m.Activation},
		{"lr", m.LR},
		{"batch", m.Batch},
		{"dropout", m.Dropout},
		{"l2", m.L2},
		{"optimizer", m.Optimizer},
		{"lr_schedule", m.LRSchedule},
	} {
		v.unit("evolution.mutation."+r.key, r.p, true)
	}
	v.atLeast("evolution.hall_of_fame", e.HallOfFame, 1)
	v.noMore("evolution.hall_of_fame", e.HallOfFame, maxHallOfFame)
	if e.SampleSize != 0 { // 0: 70% of the population (Config.Settings)
		v.atLeast("evolution.sample_size", e.SampleSize, 2)
	}
	if e.Model == "nsga2" && c.Objective.Repeats > 1 {
		v.fail("objective.repeats", "repeats > 1 is not supported by nsga2")
	}
	if e.Model == "async_regularized" && c.Objective.Repeats > 1 {
		v.fail("objective.repeats", "repeats > 1 needs a model that evaluates in batches, not async_regularized")
	}
	if e.Model == "async_regularized" && e.MutationStyle == "local" {
		v.fail("evolution.mutation_style", "local is not supported by async_regularized (use rates)")
	}
	if e.Model == "async_regularized" {
		// Its children come from whatever population stands when a worker
		// frees up: there is no generation to split into islands or
		// species, nor a batch to halve.
		if e.Islands != 1 {
			v.fail("evolution.islands", "async_regularized runs one population, got islands %d", e.Islands)
		}
		if e.Speciation.Method != "none" {
			v.fail("evolution.speciation.method", "async_regularized runs one population without species, got %s", e.Speciation.Method)
		}
		if c.Fidelity.Method == "halving" {
			v.fail("fidelity.method", "halving ranks whole batches, and async_regularized has none (use median or none)")
		}
	}
	if (e.Model == "regularized" || e.Model == "async_regularized") && e.SampleSize != 0 {
		v.atMost("evolution.sample_size", e.SampleSize, "population", e.Population)
	}
	v.atLeast("evolution.offspring", e.Offspring, 0)
	v.noMore("evolution.offspring", e.Offspring, maxIndividuals)
	if e.Screen != 0 {
		if e.Screen < 2 || e.Screen > 64 {
			v.fail("evolution.screen", "must be 0 (off) or 2 to 64, got %d", e.Screen)
		}
		if e.Model != "regularized" {
			v.fail("evolution.screen", "screening needs the regularized model, got %s", e.Model)
		}
		if e.Islands > 1 {
			// The surrogate is built from every island's evaluations so
			// far, which depend on which island's batch finished first.
			v.fail("evolution.screen", "screening needs one island (islands evaluate their batches concurrently), got islands %d", e.Islands)
		}
	}

	if p := c.Stop.TargetFitness; p != nil {
		v.finite("stop.target_fitness", *p)
	}
	v.atLeast("stop.no_improvement", c.Stop.NoImprovement, 0)
	v.atLeast("budget.evaluations", c.Budget.Evaluations, 0)

	f := c.Fidelity
	v.oneOf("fidelity.method", "fidelity method", f.Method, []string{"none", "median", "halving"}, "")
	v.atLeast("fidelity.min_evaluations", f.MinEvaluations, 1)
	v.atLeast("fidelity.min_epochs", f.MinEpochs, 1)
	v.atMost("fidelity.min_epochs", f.MinEpochs, "training.epochs", c.Training.Epochs)
	v.atLeast("fidelity.eta", f.Eta, 2)
	if c.Objective.Repeats > 1 && e.Islands > 1 {
		// Islands evaluate concurrently; which island's candidate is
		// re-evaluated first would change the means.
		v.fail("objective.repeats", "repeats > 1 needs one island (islands evaluate their batches concurrently), got islands %d", e.Islands)
	}
	if f.Method == "halving" && e.Islands > 1 {
		// Islands evaluate concurrently; which island trains an
		// architecture both share would change a halving batch.
		v.fail("fidelity.method", "halving needs one island (islands evaluate their batches concurrently), got islands %d", e.Islands)
	}
	return v.err
}

// validator keeps the first failed check; later checks do nothing.
type validator struct {
	err *Error
}

// selects reports whether model chooses parents with
// evolution.selection; the others ignore it.
func selects(model string) bool {
	switch model {
	case "generational", "steady_state", "down_to_size", "ring":
		return true
	}
	return false
}

func (v *validator) ok() bool { return v.err == nil }

func (v *validator) fail(key, format string, args ...any) {
	if v.err == nil {
		v.err = &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
}

func (v *validator) nonEmpty(key, s string) {
	if s == "" {
		v.fail(key, "must not be empty")
	}
}

func (v *validator) atLeast(key string, n, lo int) {
	if n < lo {
		v.fail(key, "must be >= %d, got %d", lo, n)
	}
}

func (v *validator) noMore(key string, n, hi int) {
	if n > hi {
		v.fail(key, "must be <= %d, got %d", hi, n)
	}
}

func (v *validator) between(key string, n, lo, hi int) {
	if n < lo || n > hi {
		v.fail(key, "must be between %d and %d, got %d", lo, hi, n)
	}
}

// atMost and below compare n with another key's value, named other.
func (v *validator) atMost(key string, n int, other string, limit int) {
	if n > limit {
		v.fail(key, "must be <= %s (%d), got %d", other, limit, n)
	}
}

func (v *validator) below(key string, n int, other string, limit int) {
	if n >= limit {
		v.fail(key, "must be < %s (%d), got %d", other, limit, n)
	}
}

func (v *validator) intRange(key string, r IntRange, lo, hi int) {
	v.atLeast(key+".min", r.Min, lo)
	if v.ok() && r.Min > r.Max {
		v.fail(key, "min %d above max %d", r.Min, r.Max)
	}
	if r.Max > hi {
		v.fail(key+".max", "must be <= %d, got %d", hi, r.Max)
	}
}

// ints checks every element of a list of choices.
func (v *validator) ints(key string, xs []int, lo, hi int, required bool) {
	if required && len(xs) == 0 {
		v.fail(key, "must not be empty")
	}
	seen := map[int]int{}
	for i, x := range xs {
		ek := fmt.Sprintf("%s[%d]", key, i)
		v.between(ek, x, lo, hi)
		if j, dup := seen[x]; dup {
			v.fail(ek, "duplicate %d (also at %s[%d])", x, key, j)
		}
		seen[x] = i
	}
}

func (v *validator) finite(key string, x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		v.fail(key, "must be a finite number, got %s", fmtFloat(x))
		return false
	}
	return true
}

// floatMin checks x >= lo, or x > lo when inclusive is false.
func (v *validator) floatMin(key string, x, lo float64, inclusive bool) {
	if !v.finite(key, x) {
		return
	}
	switch {
	case inclusive && x < lo:
		v.fail(key, "must be >= %s, got %s", fmtFloat(lo), fmtFloat(x))
	case !inclusive && x <= lo:
		v.fail(key, "must be > %s, got %s", fmtFloat(lo), fmtFloat(x))
	}
}

// floatMax checks x <= hi, or x < hi when inclusive is false.
func (v *validator) floatMax(key string, x, hi float64, inclusive bool) {
	switch {
	case inclusive && x > hi:
		v.fail(key, "must be <= %s, got %s", fmtFloat(hi), fmtFloat(x))
	case !inclusive && x >= hi:
		v.fail(key, "must be < %s, got %s", fmtFloat(hi), fmtFloat(x))
	}
}

// unit checks a probability-like value in [0, 1], or [0, 1) when closed is
// false.
func (v *validator) unit(key string, x float64, closed bool) {
	if !v.finite(key, x) {
		return
	}
	if x < 0 || x > 1 || (!closed && x == 1) {
		hi := "1]"
		if !closed {
			hi = "1)"
		}
		v.fail(key, "must be in [0, %s, got %s", hi, fmtFloat(x))
	}
}

// floatDim checks a range or, when it has choices, each choice against the
// same bounds.
func (v *validator) floatDim(key string, r FloatRange, lo float64, loIncl bool, hi float64, hiIncl bool) {
	if len(r.Choices) == 0 {
		v.floatRange(key, r, lo, loIncl, hi, hiIncl)
		return
	}
	seen := map[float64]int{}
	for i, x := range r.Choices {
		ek := fmt.Sprintf("%s.choices[%d]", key, i)
		v.floatMin(ek, x, lo, loIncl)
		v.floatMax(ek, x, hi, hiIncl)
		if j, dup := seen[x]; dup {
			v.fail(ek, "duplicate %s (also at %s.choices[%d])", fmtFloat(x), key, j)
		}
		seen[x] = i
	}
}

func (v *validator) floatRange(key string, r FloatRange, lo float64, loIncl bool, hi float64, hiIncl bool) {
	v.floatMin(key+".min", r.Min, lo, loIncl)
	v.finite(key+".max", r.Max)
	if v.ok() && r.Min > r.Max {
		v.fail(key, "min %s above max %s", fmtFloat(r.Min), fmtFloat(r.Max))
	}
	v.floatMax(key+".max", r.Max, hi, hiIncl)
}

func (v *validator) oneOf(key, what, s string, allowed []string, extra string) {
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	v.fail(key, "unknown %s %q (allowed: %s%s)", what, s, strings.Join(allowed, ", "), extra)
}

// names checks a non-empty list of distinct names from allowed.
func (v *validator) names(key, what string, xs, allowed []string) {
	if len(xs) == 0 {
		v.fail(key, "must not be empty")
	}
	seen := map[string]int{}
	for i, x := range xs {
		ek := fmt.Sprintf("%s[%d]", key, i)
		v.oneOf(ek, what, x, allowed, "")
		if j, dup := seen[x]; dup {
			v.fail(ek, "duplicate %s %q (also at %s[%d])", what, x, key, j)
		}
		seen[x] = i
	}
}

func fmtFloat(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}
