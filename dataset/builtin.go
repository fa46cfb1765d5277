package dataset

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
)

//go:embed data/iris.csv data/breast_cancer.csv data/digits.csv data/mnist10k.csv.gz data/letter.csv.gz data/satellite.csv.gz
var files embed.FS

// Info describes a built-in dataset.
type Info struct {
	Name, Description       string
	Rows, Features, Classes int // Rows is the default for generated sets
	Task                    Task
}

// builtin is a generated or embedded dataset.
type builtin struct {
	Info
	// Generated sets.
	gen   func(rng *rand.Rand, rows int, noise float64) *Table
	noise float64 // default noise
	split Fractions
	// Embedded sets, parsed once per process.
	file  string
	once  sync.Once
	table *Table
	err   error
}

var builtins = []*builtin{
	{Info: Info{"seed-sum", "10 features uniform on [0,1); class 1 when their sum exceeds 5 (noise: std of gaussian noise added to the sum, default 0)", 1400, 10, 2, Binary},
		gen: seedSum, split: Fractions{1000.0 / 1400, 200.0 / 1400, 200.0 / 1400}},
	{Info: Info{"xor", "2 features uniform on [-1,1] plus gaussian noise (default 0.1); class 1 when their signs differ", 400, 2, 2, Binary},
		gen: xor, noise: 0.1},
	{Info: Info{"spirals", "two interleaved spirals of 1.5 turns, radius 1, plus gaussian noise (default 0.05)", 400, 2, 2, Binary},
		gen: spirals, noise: 0.05},
	{Info: Info{"moons", "two interleaving half circles, as scikit-learn's make_moons, plus gaussian noise (default 0.1)", 400, 2, 2, Binary},
		gen: moons, noise: 0.1},
	{Info: Info{"circles", "two concentric circles, radii 1 and 0.5, as scikit-learn's make_circles, plus gaussian noise (default 0.1)", 400, 2, 2, Binary},
		gen: circles, noise: 0.1},
	{Info: Info{"iris", "Fisher's iris flowers: 4 measurements, 3 species (UCI)", 150, 4, 3, Multiclass},
		file: "data/iris.csv"},
	{Info: Info{"breast_cancer", "Wisconsin diagnostic breast cancer: 30 cell-nucleus features, benign or malignant (UCI)", 569, 30, 2, Binary},
		file: "data/breast_cancer.csv"},
	{Info: Info{"digits", "8x8 handwritten digits, pixel values 0-16 (UCI optdigits)", 1797, 64, 10, Multiclass},
		file: "data/digits.csv"},
	{Info: Info{"mnist10k", "10,000 MNIST handwritten digits, 28x28 pixels scaled to 0-1", 10000, 784, 10, Multiclass},
		file: "data/mnist10k.csv.gz"},
	{Info: Info{"letter", "20,000 capital letters in 20 fonts, randomly distorted: 16 integer shape statistics 0-15, 26 classes (UCI letter recognition)", 20000, 16, 26, Multiclass},
		file: "data/letter.csv.gz"},
	{Info: Info{"satellite", "Landsat multispectral 3x3 pixel neighbourhoods: 36 values 0-255, 6 soil and crop classes (UCI Statlog satellite)", 6435, 36, 6, Multiclass},
		file: "data/satellite.csv.gz"},
}

// Builtins describes the built-in datasets: the generated ones, then the
// embedded real ones.
func Builtins() []Info {
	infos := make([]Info, len(builtins))
	for i, b := range builtins {
		infos[i] = b.Info
	}
	return infos
}

func lookup(name string) *builtin {
	for _, b := range builtins {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// genStream is the PCG stream for generated data.
const genStream = 0x2545f4914f6cdd1d

// maxGenRows bounds Options.Rows.
const maxGenRows = 10_000_000

// LoadTable returns the raw table of a built-in dataset, or reads the CSV
// file at nameOrPath. A built-in name takes precedence over a file of the
// same name (write ./iris for the file). Generated data depends on
// opts.Seed, opts.Rows and opts.Noise; a file's text columns on opts.Text;
// the other options are not used here.
// The table of an embedded dataset is shared: do not modify it.
func LoadTable(nameOrPath string, opts Options) (*Table, error) {
	b := lookup(nameOrPath)
	if b != nil && b.gen == nil && (opts.Rows != 0 || opts.Noise != 0) {
		return nil, inputErrorf(nameOrPath, "rows and noise apply only to generated datasets")
	}
	if b == nil {
		t, err := readCSV(nameOrPath, opts.Text)
		if err == nil && (opts.Rows != 0 || opts.Noise != 0) {
			return nil, inputErrorf(nameOrPath, "rows and noise apply only to generated datasets")
		}
		if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(nameOrPath, `./\`) {
			names := make([]string, len(builtins))
			for i, b := range builtins {
				names[i] = b.Name
			}
			return nil, &InputError{Msg: fmt.Sprintf("%v (nor is it a built-in dataset: %s)", err, strings.Join(names, ", ")), Err: err}
		}
		return t, err
	}
	if b.gen == nil {
		b.once.Do(func() {
			data, err := files.ReadFile(b.file)
			if err != nil {
				b.err = err
				return
			}
			b.table, b.err = ParseCSV(bytes.NewReader(data), b.Name)
		})
		return b.table, b.err
	}
	rows, noise := opts.Rows, opts.Noise
	switch {
	case rows < 0 || rows > maxGenRows:
		return nil, inputErrorf(b.Name, "rows must be between 0 and %d, got %d", maxGenRows, rows)
	case !(noise >= 0) || math.IsInf(noise, 0):
		return nil, inputErrorf(b.Name, "noise must be finite and >= 0, got %g", noise)
	}
	if rows == 0 {
		rows = b.Rows
	}
	if noise == 0 {
		noise = b.noise
	}
	return b.gen(rand.New(rand.NewPCG(opts.Seed, genStream)), rows, noise), nil
}

// Load loads a built-in dataset by name, or else the CSV file at the path,
// and prepares it with Prepare. seed-sum's default split is 1000/200/200 of
// 1400 rows.
func Load(nameOrPath string, opts Options) (*Data, error) {
	t, err := LoadTable(nameOrPath, opts)
	if err != nil {
		return nil, err
	}
	d, err := prepare(t, opts, DefaultSplit(nameOrPath))
	if err != nil {
		return nil, err
	}
	if lookup(nameOrPath) != nil {
		d.Name = nameOrPath
	}
	return d, nil
}

// DefaultSplit is the split Load uses for a built-in data set or a file
// when Options.Split is zero: 0.7/0.15/0.15, but seed-sum's 1000/200/200
// of 1400 rows.
func DefaultSplit(nameOrPath string) Fractions {
	if b := lookup(nameOrPath); b != nil && b.split != (Fractions{}) {
		return b.split
	}
	return defaultSplit
}

// newTable returns a generated table with numeric columns x1..xd and target.
func newTable(name string, rows, d int) *Table {
	t := &Table{Source: name, Columns: make([]Column, d+1)}
	for j := range d {
		t.Columns[j] = Column{Name: fmt.Sprintf("x%d", j+1), Num: make([]float64, rows)}
	}
	t.Columns[d] = Column{Name: "target", Num: make([]float64, rows)}
	return t
}

func label(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func seedSum(rng *rand.Rand, rows int, noise float64) *Table {
	const d = 10
	t := newTable("seed-sum", rows, d)
	for i := range rows {
		sum := 0.0
		for j := range d {
			v := rng.Float64()
			t.Columns[j].Num[i] = v
			sum += v
		}
		t.Columns[d].Num[i] = label(sum+noise*rng.NormFloat64() > 5)
	}
	return t
}

func xor(rng *rand.Rand, rows int, noise float64) *Table {
	t := newTable("xor", rows, 2)
	x, y, c := t.Columns[0].Num, t.Columns[1].Num, t.Columns[2].Num
	for i := range rows {
		a, b := 2*rng.Float64()-1, 2*rng.Float64()-1
		c[i] = label((a < 0) != (b < 0))
		x[i] = a + noise*rng.NormFloat64()
		y[i] = b + noise*rng.NormFloat64()
	}
	return t
}

func spirals(rng *rand.Rand, rows int, noise float64) *Table {
	const turns = 1.5
	t := newTable("spirals", rows, 2)
	x, y, c := t.Columns[0].Num, t.Columns[1].Num, t.Columns[2].Num
	for i := range rows {
		k := i % 2
		// sqrt spreads points evenly along the arm rather than bunching
		// them at the centre.
		u := math.Sqrt(rng.Float64())
		a := u*turns*2*math.Pi + float64(k)*math.Pi
		c[i] = float64(k)
		x[i] = u*math.Cos(a) + noise*rng.NormFloat64()
		y[i] = u*math.Sin(a) + noise*rng.NormFloat64()
	}
	return t
}

// linspace returns the i-th of n evenly spaced points from 0 to hi,
// including hi when closed.
func linspace(i, n int, hi float64, closed bool) float64 {
	if closed {
		n--
	}
	if n <= 0 {
		return 0
	}
	return hi * float64(i) / float64(n)
}

func moons(rng *rand.Rand, rows int, noise float64) *Table {
	t := newTable("moons", rows, 2)
	x, y, c := t.Columns[0].Num, t.Columns[1].Num, t.Columns[2].Num
	out := rows / 2
	for i := range rows {
		if i < out {
			a := linspace(i, out, math.Pi, true)
			x[i], y[i] = math.Cos(a), math.Sin(a)
		} else {
			a := linspace(i-out, rows-out, math.Pi, true)
			x[i], y[i], c[i] = 1-math.Cos(a), 0.5-math.Sin(a), 1
		}
		x[i] += noise * rng.NormFloat64()
		y[i] += noise * rng.NormFloat64()
	}
	return t
}

func circles(rng *rand.Rand, rows int, noise float64) *Table {
	const factor = 0.5
	t := newTable("circles", rows, 2)
	x, y, c := t.Columns[0].Num, t.Columns[1].Num, t.Columns[2].Num
	out := rows / 2
	for i := range rows {
		if i < out {
			a := linspace(i, out, 2*math.Pi, false)
			x[i], y[i] = math.Cos(a), math.Sin(a)
		} else {
			a := linspace(i-out, rows-out, 2*math.Pi, false)
			x[i], y[i], c[i] = factor*math.Cos(a), factor*math.Sin(a), 1
		}
		x[i] += noise * rng.NormFloat64()
		y[i] += noise * rng.NormFloat64()
	}
	return t
}
