package table

// Shape is the data a benchmark's nets were trained on, which with a
// row's widths gives its parameter count exactly.
type Shape struct {
	Inputs  int    // input features the net saw
	Outputs int    // output units: 1 for regression and binary classification
	Source  string // where the figures come from
}

// Shapes of the public tables in ../shared/tables, by table name. FCNet's
// nets are Keras Dense layers, inputs -> units_1 -> units_2 -> 1, with the
// input counts of Klein and Hutter 2019 (their training script builds the
// first layer with input_dim = the data's columns). HPOBench's are
// scikit-learn MLPClassifiers: `depth` layers of `width` units, one output
// for two classes, one per class otherwise, on the OpenML task's features
// one-hot encoded (car: 6 categorical features of 4, 4, 4, 3, 3 and 3
// levels).
var Shapes = map[string]Shape{
	"fcnet_protein_structure":         {9, 1, "FCNet (Klein and Hutter 2019): protein structure, 9 features"},
	"fcnet_slice_localization":        {385, 1, "FCNet (Klein and Hutter 2019): slice localization, 385 features"},
	"fcnet_naval_propulsion":          {15, 1, "FCNet (Klein and Hutter 2019): naval propulsion, 15 features"},
	"fcnet_parkinsons_telemonitoring": {20, 1, "FCNet (Klein and Hutter 2019): parkinsons telemonitoring, 20 features"},
	"hpobench_mlp_australian":         {14, 1, "OpenML australian: 14 features, 2 classes"},
	"hpobench_mlp_car":                {21, 4, "OpenML car: 6 categorical features one-hot (21 columns), 4 classes"},
	"hpobench_mlp_phoneme":            {5, 1, "OpenML phoneme: 5 features, 2 classes"},
	"hpobench_mlp_segment":            {19, 7, "OpenML segment: 19 features, 7 classes"},
}

// widthParams fills a table without a params column from its widths when
// its shape is known: the weights and biases of each dense layer.
func (t *Table) widthParams() {
	sh, ok := Shapes[t.Name]
	if !ok || t.params != nil {
		return
	}
	t.params = make([]int, t.Len())
	for i := range t.params {
		g := t.Genome(i)
		widths := make([]int, len(g.Layers))
		for k, l := range g.Layers {
			widths[k] = l.Units
		}
		t.params[i] = DenseParams(sh, widths)
	}
}

// FLOPs returns a row's floating-point operations per sample of one
// forward pass (a multiply and an add per weight, as fitness.FLOPs counts
// them) when the table's shape is known, or 0.
func (t *Table) FLOPs(row int) int64 {
	sh, ok := Shapes[t.Name]
	if !ok {
		return 0
	}
	var n int64
	in := sh.Inputs
	for _, l := range t.Genome(row).Layers {
		n += 2 * int64(in) * int64(l.Units)
		in = l.Units
	}
	return n + 2*int64(in)*int64(sh.Outputs)
}

// DenseParams is the weights and biases of a dense net of the given
// hidden widths on data of this shape.
func DenseParams(sh Shape, widths []int) int {
	n, in := 0, sh.Inputs
	for _, w := range widths {
		n += (in + 1) * w
		in = w
	}
	return n + (in+1)*sh.Outputs
}
