package export

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"text/template"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// PyTorch returns m as a self-contained Python file: it builds the net as a
// torch.nn.Sequential in float64, loads the weights embedded in it (exact,
// as base64 of little-endian float64), applies evonas's preprocessing and
// exposes predict(rows). Run as a script, it reads a CSV file and writes
// predictions as evonas predict does. It needs PyTorch and nothing else.
// module is the name the file is imported by, for its documentation.
func PyTorch(m *model.Model, producer, module string) ([]byte, error) {
	spec := m.Net.Spec()
	var layers []string
	in := spec.Inputs
	for _, l := range spec.Hidden {
		layers = append(layers, fmt.Sprintf("torch.nn.Linear(%d, %d)", in, l.Units))
		if a := torchActivation(l.Activation); a != "" {
			layers = append(layers, a)
		}
		in = l.Units
	}
	layers = append(layers, fmt.Sprintf("torch.nn.Linear(%d, %d)", in, spec.Outputs))
	switch spec.Head {
	case network.Binary:
		layers = append(layers, "torch.nn.Sigmoid()")
	case network.Softmax:
		layers = append(layers, "torch.nn.Softmax(dim=1)")
	}

	var inputs []string
	for _, in := range m.Prep.Inputs {
		name := pyString(in.Name)
		if len(in.Categories) > 0 {
			cats := make([]string, len(in.Categories))
			for i, c := range in.Categories {
				cats[i] = pyString(c)
			}
			inputs = append(inputs, fmt.Sprintf("(%s, [%s])", name, join(cats)))
			continue
		}
		inputs = append(inputs, fmt.Sprintf("(%s, %s, %s)", name, pyFloat(in.Mean), pyFloat(in.Scale)))
	}
	classes := make([]string, len(m.Prep.Classes))
	for i, c := range m.Prep.Classes {
		classes[i] = pyString(c)
	}
	w := m.Net.Weights()
	raw := make([]byte, 8*len(w))
	for i, v := range w {
		binary.LittleEndian.PutUint64(raw[8*i:], math.Float64bits(v))
	}
	b64 := base64.StdEncoding.EncodeToString(raw)
	var lines []string
	for len(b64) > 76 {
		lines = append(lines, b64[:76])
		b64 = b64[76:]
	}
	lines = append(lines, b64)

	var buf bytes.Buffer
	err := pytorchTemplate.Execute(&buf, map[string]any{
		"Producer":    strconv.Quote(producer),
		"Module":      module,
		"Data":        strconv.Quote(m.Data), // no """ nor stray backslash in the docstring
		"Target":      pyString(m.Prep.Target),
		"TargetDoc":   strconv.Quote(m.Prep.Target),
		"Task":        string(m.Prep.Task),
		"Regression":  m.Prep.Task == dataset.Regression,
		"Classes":     join(classes),
		"Inputs":      inputs,
		"Layers":      layers,
		"Features":    spec.Inputs,
		"TargetMean":  pyFloat(m.Prep.TargetMean),
		"TargetScale": pyFloat(m.Prep.TargetScale),
		"Weights":     lines,
		"Params":      len(w),
	})
	return buf.Bytes(), err
}

func torchActivation(a network.Activation) string {
	switch a {
	case network.ReLU:
		return "torch.nn.ReLU()"
	case network.LeakyReLU:
		return "torch.nn.LeakyReLU(0.01)"
	case network.ELU:
		return "torch.nn.ELU(alpha=1.0)"
	case network.Tanh:
		return "torch.nn.Tanh()"
	case network.Sigmoid:
		return "torch.nn.Sigmoid()"
	case network.Linear:
		return ""
	}
	panic(fmt.Sprintf("export: activation %v has no PyTorch module", a))
}

// pyString quotes s as a Python string literal: JSON's escapes are all
// valid Python.
func pyString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// pyFloat writes v so that Python's float() reads back the same float64.
func pyFloat(v float64) string {
	return "float.fromhex(" + pyString(fmt.Sprintf("%x", v)) + ")"
}

func join(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x)
	}
	return b.String()
}

var pytorchTemplate = template.Must(template.New("pytorch").Parse(`#!/usr/bin/env python3
"""evonas model of {{.Data}} predicting {{.TargetDoc}} ({{.Task}}), exported by evonas {{.Producer}}.

From Python (this file needs PyTorch and nothing else; Debian: python3-torch):

    import {{.Module}}
    {{.Module}}.predict([{"column": value, ...}, ...])

predict takes rows as dicts keyed by column name (extra keys are ignored) or
as sequences in the order of INPUTS. For classification it returns one
(label, probabilities) pair per row, the probabilities in CLASSES order; for
regression, one value per row. net is the torch.nn.Sequential itself; it
takes features(rows), the standardized and one-hot encoded input.

From the shell, as evonas predict does:

    python3 {{.Module}}.py rows.csv > predictions.csv
"""
import array
import base64
import csv
import math
import sys

import torch

TASK = "{{.Task}}"
TARGET = {{.Target}}
CLASSES = [{{.Classes}}]
# Raw input columns in order: (name, mean, scale) for a numeric column,
# standardized as (v - mean) / scale; (name, [categories]) for a text column,
# one-hot in that order (text seen in no training row is all zeros).
INPUTS = [
{{- range .Inputs}}
    {{.}},
{{- end}}
]
FEATURES = {{.Features}}
TARGET_MEAN = {{.TargetMean}}
TARGET_SCALE = {{.TargetScale}}

# Every weight and bias, layer after layer: each layer's weights (inputs x
# units, row-major), then its biases; little-endian float64, base64.
WEIGHTS = (
{{- range .Weights}}
    "{{.}}"
{{- end}}
)


def build():
    """Returns the net with its weights, in float64 and evaluation mode."""
    net = torch.nn.Sequential(
{{- range .Layers}}
        {{.}},
{{- end}}
    )
    w = array.array("d")
    w.frombytes(base64.b64decode("".join(WEIGHTS)))
    if sys.byteorder == "big":
        w.byteswap()
    assert len(w) == {{.Params}}, "weights do not fit the net"
    w = torch.tensor(w, dtype=torch.float64)
    off = 0
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, torch.nn.Linear):
                n_in, n_out = layer.in_features, layer.out_features
                layer.weight = torch.nn.Parameter(w[off:off + n_in * n_out].reshape(n_in, n_out).t().contiguous())
                off += n_in * n_out
                layer.bias = torch.nn.Parameter(w[off:off + n_out].clone())
                off += n_out
    return net.double().eval()


def _go_text(v):
    """Formats a number as evonas does before matching it to a category
    (Go's strconv.FormatFloat(v, 'g', -1, 64))."""
    v = float(v)
    if v == 0:
        return "-0" if math.copysign(1, v) < 0 else "0"
    sign = "-" if v < 0 else ""
    m, _, e = repr(abs(v)).partition("e")
    ip, _, fp = m.partition(".")
    s = ip + fp
    digits = s.lstrip("0")
    dp = len(ip) + (int(e) if e else 0) - (len(s) - len(digits))
    digits = digits.rstrip("0")
    exp = dp - 1
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return "%s%se%s%02d" % (sign, mant, "-" if exp < 0 else "+", abs(exp))
    if dp <= 0:
        return sign + "0." + "0" * -dp + digits
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return sign + digits[:dp] + "." + digits[dp:]


def _missing(v):
    """Reports whether v is missing as evonas reads a CSV field: None, NaN,
    or the text "", "NA", "N/A" or "NaN" (in any case)."""
    if isinstance(v, str):
        return v in ("", "NA", "N/A") or v.lower() == "nan"
    return v is None or (isinstance(v, float) and math.isnan(v))


def features(rows):
    """Returns the net's input for rows: a float64 tensor [len(rows), FEATURES].
    Text is trimmed of surrounding white space, as evonas trims a CSV field."""
    x = torch.zeros((len(rows), FEATURES), dtype=torch.float64)
    for i, row in enumerate(rows):
        f = 0
        for j, spec in enumerate(INPUTS):
            name = spec[0]
            if isinstance(row, dict) and name not in row:
                raise ValueError("row %d: input column %r not found" % (i + 1, name))
            v = row[name] if isinstance(row, dict) else row[j]
            if isinstance(v, str):
                v = v.strip()
            if _missing(v):
                raise ValueError("row %d: column %r: missing value" % (i + 1, name))
            if len(spec) == 3:
                try:
                    v = float(v)
                except ValueError:
                    raise ValueError("row %d: column %r: non-numeric value %r" % (i + 1, name, v)) from None
                if math.isinf(v) or math.isnan(v):
                    raise ValueError("row %d: column %r: non-numeric value %r" % (i + 1, name, v))
                x[i, f] = (v - spec[1]) / spec[2]
                f += 1
            else:
                cats = spec[1]
                text = v if isinstance(v, str) else _go_text(v)
                if text in cats:
                    x[i, f + cats.index(text)] = 1
                f += len(cats)
    return x


net = build()


def predict(rows):
    """Predicts for rows (dicts by column name, or sequences in INPUTS order):
    a value per row for regression, a (label, probabilities) pair for
    classification. A row whose output is not a number has no answer: NaN,
    or the label None with NaN probabilities."""
    with torch.no_grad():
        out = net(features(rows))
    if TASK == "regression":
        return [float(y) * TARGET_SCALE + TARGET_MEAN for y in out[:, 0]]
    res = []
    for o in out.tolist():
        if any(math.isnan(v) for v in o):
            # No answer, as evonas predict: inputs far outside the
            # training rows' overflowed the net's products.
            res.append((None, [math.nan] * len(CLASSES)))
            continue
        if TASK == "binary":
            p = [1 - o[0], o[0]]
            c = 1 if o[0] > 0.5 else 0
        else:
            p = o
            c = max(range(len(p)), key=lambda k: (p[k], -k))
        res.append((CLASSES[c], p))
    return res


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: python3 %s ROWS.csv > predictions.csv" % argv[0])
    # As evonas predict reads a CSV: a byte order mark is skipped, names
    # are trimmed, and text inputs are read as written ("4.0" is not the
    # category "4").
    with open(argv[1], newline="", encoding="utf-8-sig") as f:
        r = csv.DictReader(f)
        if r.fieldnames:
            r.fieldnames = [n.strip() for n in r.fieldnames]
        rows = list(r)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["prediction"] + ["p_" + c for c in CLASSES])
    for p in predict(rows):
        # A row whose output is not a number (inputs far outside the
        # training rows') gets no answer: empty cells, as evonas predict.
        if TASK == "regression":
            w.writerow([""] if math.isnan(p) else [repr(p)])
        elif p[0] is None:
            w.writerow([""] * (1 + len(CLASSES)))
        else:
            w.writerow([p[0]] + [repr(v) for v in p[1]])


if __name__ == "__main__":
    main(sys.argv)
`))
