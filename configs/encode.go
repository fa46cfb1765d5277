package configs

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// YAML returns c as YAML: every key, in declaration order, lists in flow
// style. Parse of the result gives back c, each range that lists choices
// spanning them (min and max their extremes, as Parse sets them).
func (c Config) YAML() ([]byte, error) {
	// A config built in Go may list choices and leave min and max zero:
	// write what Parse would make of it.
	spanChoices(&c.SearchSpace)
	var b bytes.Buffer
	if err := write(&b, reflect.ValueOf(c), reflect.Value{}, "", 0, false); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// InitText returns a default configuration in which every key carries a
// comment saying what it does, its range and its default. Parsed, it gives
// Default, except that the name comes from the file name.
func InitText() []byte {
	b, err := InitTextOf(Default())
	if err != nil {
		panic("configs: " + err.Error()) // Default is fixed; a failure is a bug
	}
	return b
}

// InitTextOf is InitText with the values of c, each key's comment still
// giving its built-in default: a config to edit that starts from c (a
// shipped one, say) rather than from Default. Parsed under a file name, it
// gives c with that name. Its header says so when c differs from Default,
// since a key deleted from such a file takes the built-in default, not c's.
func InitTextOf(c Config) ([]byte, error) {
	var b bytes.Buffer
	d := Default()
	c.Name = d.Name
	if reflect.DeepEqual(c, d) {
		b.WriteString(initHeader)
	} else {
		b.WriteString(initFromHeader)
	}
	b.WriteString("\n")
	if err := write(&b, reflect.ValueOf(c), reflect.ValueOf(d), "", 0, true); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

const initHeader = `# evonas run configuration.
#
# Every key is shown with its default value. A config needs only the keys it
# changes: delete the rest, or leave them as they are. A list replaces the
# default list; a key the file leaves out keeps its default.
`

// initFromHeader opens the file of a config other than Default.
const initFromHeader = `# evonas run configuration.
#
# Every key is shown with the value of the config this file was made from,
# and with its built-in default in the comment above it. A config needs only
# the keys it changes, but a key deleted here takes the built-in default, not
# the value shown. A list replaces the default list.
`

// write renders struct v at indentation depth, with a comment above each key
// when commented is set, giving the key's default from def (a struct of v's
// type).
func write(b *bytes.Buffer, v, def reflect.Value, prefix string, depth int, commented bool) error {
	indent := strings.Repeat("  ", depth)
	t := v.Type()
	for i := range t.NumField() {
		name := tagName(t.Field(i))
		key := joinKey(prefix, name)
		f := v.Field(i)
		section := f.Kind() == reflect.Struct
		if commented {
			if section && depth == 0 {
				b.WriteString("\n")
			}
			doc, ok := keyDocs[key]
			if !ok && !section {
				return fmt.Errorf("no documentation for key %s", key)
			}
			words := strings.Fields(doc)
			if ok && !section && key != "name" {
				text, err := render(def.Field(i))
				if err != nil {
					return err
				}
				words = append(words, "Default:", text+".") // a value is never split
			}
			for _, line := range wrap(words, 76-len(indent)) {
				b.WriteString(indent + "# " + line + "\n")
			}
		}
		if section {
			b.WriteString(indent + name + ":\n")
			var d reflect.Value
			if commented {
				d = def.Field(i)
			}
			if err := write(b, f, d, key, depth+1, commented); err != nil {
				return err
			}
			continue
		}
		text, err := render(f)
		if err != nil {
			return err
		}
		if commented && key == "name" {
			// Left out so that the name follows the file name.
			b.WriteString(indent + "# ")
			text = "my-run"
		} else {
			b.WriteString(indent)
		}
		b.WriteString(name + ": " + text + "\n")
	}
	return nil
}

// render formats one value as a single line of YAML.
func render(v reflect.Value) (string, error) {
	if s, ok := renderScalar(v); ok {
		return s, nil
	}
	return renderYAML(v)
}

// renderScalar formats numbers and booleans as the YAML encoder does
// (go.yaml.in/yaml/v3's intv, uintv, floatv and boolv), without building a
// node and an emitter for each: a run writes its config at the start, and
// that was a tenth of a ten-trial search's time.
func renderScalar(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		bits := 64
		if v.Kind() == reflect.Float32 {
			bits = 32
		}
		s := strconv.FormatFloat(v.Float(), 'g', -1, bits)
		switch s {
		case "+Inf":
			s = ".inf"
		case "-Inf":
			s = "-.inf"
		case "NaN":
			s = ".nan"
		}
		return s, true
	}
	return "", false
}

// renderYAML formats one value with the YAML encoder.
func renderYAML(v reflect.Value) (string, error) {
	var n yaml.Node
	if err := n.Encode(v.Interface()); err != nil {
		return "", err
	}
	switch {
	case n.Kind == yaml.SequenceNode:
		n.Style = yaml.FlowStyle
	case n.Kind == yaml.ScalarNode && strings.ContainsAny(n.Value, "\n\r"):
		n.Style = yaml.DoubleQuotedStyle
	}
	out, err := yaml.Marshal(&n)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

// wrap joins words into lines of at most width bytes, unless a word is
// longer.
func wrap(words []string, width int) []string {
	var lines []string
	line := ""
	for _, w := range words {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// keyDocs says what each key does and its range; InitText adds the default.
// A test checks that every key of Config has an entry.
var keyDocs = map[string]string{
	"name":    "Name of the run, used for its output. Defaults to the config file's name without extension.",
	"seed":    "Seed of every random choice: the same seed and config give the same run.",
	"workers": "Candidates trained in parallel; 0 = number of CPUs. >= 0.",

	"data":             "The data set and how it is split.",
	"data.name":        "Built-in data set (such as digits, mnist10k, seed-sum) or the path of a CSV file. Required unless data.table is set.",
	"data.table":       "A tabular benchmark (CSV, maybe gzip'd; see docs/tables.md): candidates are looked up in it instead of trained. Exclusive with data.name; the search space must lie inside the table's grid.",
	"data.target":      `Name of the target column of a CSV file; "" = the last column.`,
	"data.task":        `binary, multiclass or regression; "" = infer from the target column.`,
	"data.missing":     "What to do with missing values in a CSV file: error, drop (the row) or mean (of the column).",
	"data.ignore":      "Columns to leave out, as if the file did not hold them (an identifier, a column that gives the target away, free text), such as [id, name]; [] = none.",
	"data.split":       "Fractions of the rows for training, validation (fitness, early stopping) and test (reported only). Each >= 0, train and val > 0, sum 1.",
	"data.split.train": "Fraction of rows used to train each candidate. > 0.",
	"data.split.val":   "Fraction of rows that scores candidates. > 0.",
	"data.split.test":  "Fraction of rows held out for the final report. >= 0.",
	"data.rows":        "Rows of a generated data set; 0 = the data set's default. >= 0.",
	"data.noise":       "Noise of a generated data set; 0 = the data set's default. >= 0.",

	"search_space":                 "The architectures and hyperparameters a candidate may have.",
	"search_space.layers":          "Number of hidden layers. 0 <= min <= max <= 16.",
	"search_space.layers.min":      "Fewest hidden layers.",
	"search_space.layers.max":      "Most hidden layers; equal to min to fix the depth.",
	"search_space.layers.choices":  "Not supported for the depth: leave it empty.",
	"search_space.width":           "Units per hidden layer: a range or a list of choices. 1 <= min <= max <= 4096.",
	"search_space.width.min":       "Narrowest layer.",
	"search_space.width.max":       "Widest layer.",
	"search_space.width.choices":   "If not empty, the only widths allowed (drawn uniformly), replacing min and max. Each 1..4096.",
	"search_space.shared_width":    "Every hidden layer of a candidate has the same width (a depth x width space, as HPOBench's).",
	"search_space.activations":     "Activations a hidden layer may use: relu, leaky_relu, elu, tanh, sigmoid, linear. Not empty, no duplicates.",
	"search_space.lr":              "Learning rate: a range (log-uniform) or a list of choices. 0 < min <= max <= 10.",
	"search_space.lr.min":          "Smallest learning rate.",
	"search_space.lr.max":          "Largest learning rate; equal to min to fix it.",
	"search_space.lr.choices":      "If not empty, the only learning rates allowed, replacing min and max. Each in (0, 10].",
	"search_space.lr_schedule":     "Learning rate schedules a candidate may use: const, cosine (decay to 0 over the epochs along half a cosine). Not empty.",
	"search_space.batch":           "Batch sizes a candidate may use. Each 1..65536, not empty.",
	"search_space.dropout":         "Dropout rate of hidden layers: a range or a list of choices. 0 <= min <= max < 1.",
	"search_space.dropout.min":     "Smallest dropout rate.",
	"search_space.dropout.max":     "Largest dropout rate; 0 = no dropout.",
	"search_space.dropout.choices": "If not empty, the only dropout rates allowed, replacing min and max. Each in [0, 1).",
	"search_space.l2":              "L2 weight decay: a range or a list of choices. 0 <= min <= max <= 1.",
	"search_space.l2.min":          "Smallest weight decay.",
	"search_space.l2.max":          "Largest weight decay; 0 = none.",
	"search_space.l2.choices":      "If not empty, the only weight decays allowed, replacing min and max. Each in [0, 1].",
	"search_space.optimizers":      "Optimizers a candidate may use: adam, sgd. Not empty.",

	"training":               "How each candidate is trained.",
	"training.epochs":        "Passes over the training rows. 1..10000.",
	"training.patience":      "Stop training after this many epochs without a lower validation loss; 0 = never. >= 0.",
	"training.momentum":      "Momentum of the sgd optimizer. [0, 1).",
	"training.precision":     "Arithmetic of training: float32 (twice as fast on AVX2) or float64. Saved models hold float64 weights either way.",
	"training.max_memory_mb": "Memory one training may need (weights, optimizer state, a batch's activations), in MiB; a candidate that needs more is invalid. 1 to 1073741824.",

	"objective":               "The fitness that evolution minimizes (lower is better).",
	"objective.param_penalty": "Adds param_penalty * log10(parameters) to the fitness, favouring small networks. >= 0; 0 with several objectives.",
	"objective.minimize":      "Objectives to minimize together: error, params, flops, latency (measured, noisy). Two or more: a Pareto search with evolution.model nsga2; [] = the fitness alone.",
	"objective.repeats":       "Evaluations, each with another training seed, of a candidate whose first one ranks among the best `finalists`, and of each finalist before the winner is named; candidates are ranked on the mean. Each counts against budget.evaluations. 1 = every candidate once. 1..20.",
	"objective.metric":        "What the fitness measures: metric (1 - validation accuracy, or 1 - R² for regression), loss (validation cross-entropy or mean squared error: continuous, so it still ranks nets whose accuracies tie on a small validation split) or balanced (1 - validation balanced accuracy, the mean of the classes' recalls: for imbalanced classes; classification only, not with data.table; the records, tables and comparisons then give balanced accuracies).",
	"objective.folds":         "0 = off. 2..20: the re-evaluations of repeats rotate over this many cross-validation folds of the training and validation rows: a candidate's n-th evaluation validates on fold n mod folds (fold 0 the validation split, the others parts of the training rows), so its mean is a cross-validation estimate measured mostly on rows the search did not first rank it on, and a comparison reports each run's winner by that mean. Needs repeats >= 2 (repeats = folds for full cross-validation) and data.name; not through a queue.",
	"objective.finalists":     "With repeats > 1: how many of the best are re-checked at the end, and what counts as promising. >= 1.",

	"evolution":                       "The evolutionary algorithm.",
	"evolution.model":                 "generational, steady_state, down_to_size, ring, mutation_only, regularized (aging evolution), async_regularized (aging evolution handing each worker a child the moment it frees up: not reproducible with more than one worker) or nsga2 (Pareto search over objective.minimize).",
	"evolution.population":            "Individuals per island, 2 to 100000 (regularized: >= sample_size).",
	"evolution.generations":           "Generations to run; for regularized, one generation is population new children. >= 0.",
	"evolution.islands":               "Independent populations. 1 to 1000, with islands x population <= 100000.",
	"evolution.migration":             "Ring migration between islands.",
	"evolution.migration.every":       "Migrate every this many generations; 0 = never. > 0 needs islands >= 2.",
	"evolution.migration.migrants":    "Individuals sent to the next island at each migration. >= 1, < population.",
	"evolution.selection":             "How parents are chosen.",
	"evolution.selection.method":      "tournament, roulette or elitism.",
	"evolution.selection.size":        "Tournament size. >= 2, and < population for tournament with the models that select parents (generational, steady_state, down_to_size, ring).",
	"evolution.elitism":               "generational: the best this many pass to the next generation unchanged. 0 <= elitism < population.",
	"evolution.speciation":            "Grouping of similar individuals, which then compete among themselves.",
	"evolution.speciation.method":     "none, kmedoids or interval.",
	"evolution.speciation.species":    "Number of species unless method is none. 2 <= species <= population.",
	"evolution.crossover_rate":        "Probability that a child is made by crossover. [0, 1].",
	"evolution.mutation_rate":         "Probability that a child is mutated. [0, 1].",
	"evolution.mutation":              "Probability of each mutation operator when a child is mutated. Each [0, 1].",
	"evolution.mutation.add_layer":    "Insert a hidden layer.",
	"evolution.mutation.remove_layer": "Remove a hidden layer.",
	"evolution.mutation.resize_layer": "Change the width of a hidden layer.",
	"evolution.mutation.activation":   "Change the activation of a hidden layer.",
	"evolution.mutation.lr":           "Change the learning rate.",
	"evolution.mutation.batch":        "Change the batch size.",
	"evolution.mutation.dropout":      "Change the dropout rate.",
	"evolution.mutation.l2":           "Change the weight decay.",
	"evolution.mutation.optimizer":    "Change the optimizer.",
	"evolution.mutation.lr_schedule":  "Change the learning rate schedule.",
	"evolution.mutation_style":        "rates: a child is mutated by the operators of evolution.mutation, each with its probability; local: exactly one gene, drawn uniformly, moves to a neighbouring value (the next width or batch size, a small step of learning rate or dropout, another activation).",
	"evolution.hall_of_fame":          "Best individuals kept and reported. 1 to 100000.",
	"evolution.sample_size":           "regularized: individuals sampled to pick each parent. >= 2, <= population; 0 = 70% of the population (at least 2).",
	"evolution.offspring":             "down_to_size: children per generation; 0 = population. 0 to 100000.",
	"evolution.screen":                "regularized: make this many children for each one trained, and train the one a surrogate (the 5 nearest genomes evaluated so far, by genome distance) scores best; 0 = off. 0 or 2-64.",
	"evolution.keep_best":             "steady_state: the best two of parents and children replace the parents; false = the children always do.",
	"evolution.strict":                "mutation_only: a mutant replaces its parent only if it is better; false = always.",

	"stop":                "Ending a search before its last generation.",
	"stop.target_fitness": "Stop when the best fitness is <= this; null = never.",
	"stop.no_improvement": "Stop after this many generations without a better best; 0 = never. >= 0.",

	"fidelity":                 "Multi-fidelity: less training for candidates that look poor early (off by default).",
	"fidelity.method":          "none; median (stop a training at an epoch whose validation metric is below the median of earlier generations' trainings at that epoch); halving (successive halving of each generation's new candidates).",
	"fidelity.min_evaluations": "median: trainings finished in earlier generations before any is stopped. >= 1.",
	"fidelity.min_epochs":      "median: never stop before this epoch; halving: epochs of the first rung. 1..training.epochs.",
	"fidelity.eta":             "halving: keep the best 1/eta of each rung and train them eta times longer. >= 2.",

	"budget":             "Limits on work.",
	"budget.evaluations": "Stop after this many trainings (cache hits do not count); 0 = unlimited. >= 0.",
}
