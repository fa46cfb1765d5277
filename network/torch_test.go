package network

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// python is Debian's interpreter, where python3-torch installs its module.
const python = "/usr/bin/python3"

// needTorch skips t unless python imports torch.
func needTorch(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no Python")
	}
	out, err := exec.Command(python, "-c", "import torch").CombinedOutput()
	if err != nil {
		s := strings.TrimSpace(string(out))
		t.Skipf("%s cannot import torch: %v %s", python, err, s[strings.LastIndexByte(s, '\n')+1:])
	}
}

// torchCase is one training replayed in PyTorch: the net's initial weights
// in evonas's layout, the rows of every minibatch in order and, per step,
// each dropout layer's kept units, so that PyTorch sees what evonas saw.
type torchCase struct {
	Name    string      `json:"name"`
	Spec    Spec        `json:"spec"`
	DType   string      `json:"dtype"`
	Weights []float64   `json:"weights"`
	X       []float64   `json:"x"`
	Y       []float64   `json:"y"`
	ValX    []float64   `json:"val_x"`
	ValY    []float64   `json:"val_y"`
	Cfg     TrainConfig `json:"cfg"`
	Epochs  [][][]int   `json:"epochs"` // per epoch, per minibatch: training rows
	Masks   [][][]bool  `json:"masks"`  // per step, per hidden layer: kept units (rows x units), nil without dropout
}

// torchResult is what the driver computes for a case.
type torchResult struct {
	Losses  []float64 `json:"losses"`   // mean training loss per epoch
	Rates   []float64 `json:"rates"`    // the optimizer's learning rate per epoch
	Weights []float64 `json:"weights"`  // after the last step, in evonas's layout
	ValLoss float64   `json:"val_loss"` // of the final weights, without dropout
}

// torchDriver replays each case with torch.optim and PyTorch's losses:
// CrossEntropyLoss, BCEWithLogitsLoss and MSELoss, each a mean over the
// minibatch (MSELoss over every output too). L2 is the optimizer's
// weight_decay on the weight matrices only; cosine is CosineAnnealingLR
// with T_max = epochs, stepped after each epoch.
const torchDriver = `
import json, math, sys
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
acts = {
    "relu": torch.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
    "elu": F.elu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "linear": lambda x: x,
}

def run(c):
    dt = {"float64": torch.float64, "float32": torch.float32}[c["dtype"]]
    spec, cfg = c["spec"], c["cfg"]
    flat = torch.tensor(c["weights"], dtype=torch.float64)
    layers, off, fan = [], 0, spec["inputs"]
    hidden = spec["hidden"] or []
    for h in hidden + [{"units": spec["outputs"], "activation": "linear", "dropout": 0}]:
        units = h["units"]
        w = flat[off:off + fan * units].reshape(fan, units).to(dt).clone().requires_grad_()
        b = flat[off + fan * units:off + fan * units + units].to(dt).clone().requires_grad_()
        layers.append((w, b, h))
        off += (fan + 1) * units
        fan = units
    x = torch.tensor(c["x"], dtype=torch.float64).reshape(-1, spec["inputs"]).to(dt)
    k = spec["outputs"]
    head = spec["head"]
    if head == "regression":
        y = torch.tensor(c["y"], dtype=torch.float64).reshape(-1, k).to(dt)
    else:
        y = torch.tensor(c["y"], dtype=torch.float64)
    groups = [{"params": [w for w, _, _ in layers], "weight_decay": cfg["L2"]},
              {"params": [b for _, b, _ in layers], "weight_decay": 0.0}]
    if cfg["Optimizer"] == "sgd":
        opt = torch.optim.SGD(groups, lr=cfg["LR"], momentum=cfg["Momentum"])
    else:
        opt = torch.optim.Adam(groups, lr=cfg["LR"], betas=(cfg["Beta1"], cfg["Beta2"]), eps=cfg["Eps"])
    sched = None
    if cfg["Schedule"] == "cosine":
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["Epochs"])

    def forward(xb, masks):
        h = xb
        for i, (w, b, spec_l) in enumerate(layers):
            h = h @ w + b
            if i < len(layers) - 1:
                h = acts[spec_l["activation"]](h)
                if masks is not None and masks[i] is not None:
                    keep = torch.tensor(masks[i], dtype=dt).reshape(h.shape)
                    h = h * (keep * torch.tensor(1 / (1 - spec_l["dropout"]), dtype=dt))
        return h

    def loss_of(z, yb):
        if head == "softmax":
            return F.cross_entropy(z, yb.long())
        if head == "binary":
            return F.binary_cross_entropy_with_logits(z.reshape(-1), yb.to(dt))
        return F.mse_loss(z, yb)

    losses, rates, step = [], [], 0
    n = x.shape[0]
    for batches in c["epochs"]:
        rates.append(opt.param_groups[0]["lr"])
        total = 0.0
        for rows in batches:
            idx = torch.tensor(rows)
            masks = c["masks"][step] if c["masks"] else None
            step += 1
            loss = loss_of(forward(x[idx], masks), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(rows)
        losses.append(total / n)
        if sched is not None:
            sched.step()
    with torch.no_grad():
        vx = torch.tensor(c["val_x"], dtype=torch.float64).reshape(-1, spec["inputs"]).to(dt)
        vy = torch.tensor(c["val_y"], dtype=torch.float64)
        if head == "regression":
            vy = vy.reshape(-1, k).to(dt)
        val = loss_of(forward(vx, None), vy).item()
    out = []
    for w, b, _ in layers:
        out += w.detach().double().reshape(-1).tolist() + b.detach().double().tolist()
    return {"losses": losses, "rates": rates, "weights": out, "val_loss": val}

res = {c["name"]: run(c) for c in json.load(open(sys.argv[1]))}
json.dump(res, sys.stdout)
`

// runTorch replays the cases in PyTorch.
func runTorch(t *testing.T, cases []torchCase) map[string]torchResult {
	t.Helper()
	dir := t.TempDir()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ name, text string }{{"cases.json", string(in)}, {"driver.py", torchDriver}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(python, "driver.py", "cases.json")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	res := map[string]torchResult{}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("driver output: %v", err)
	}
	return res
}

// replayPlan returns the minibatches and dropout masks a training of spec
// on n rows with cfg draws: the documented stream of cfg.Seed, reshuffled
// every epoch, each dropout layer drawing one number per unit and row.
func replayPlan(spec Spec, cfg TrainConfig, n int) (epochs [][][]int, masks [][][]bool) {
	pcg := rand.NewPCG(cfg.Seed, 0xda3e39cb94b95bdb)
	rng := rand.New(pcg)
	batch := min(cfg.Batch, n)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	dropping := false
	for _, l := range spec.Hidden {
		dropping = dropping || l.Dropout > 0
	}
	for range cfg.Epochs {
		for i := n - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		var batches [][]int
		for s := 0; s < n; s += batch {
			rows := append([]int(nil), perm[s:min(s+batch, n)]...)
			batches = append(batches, rows)
			if !dropping {
				continue
			}
			step := make([][]bool, len(spec.Hidden))
			for i, l := range spec.Hidden {
				if l.Dropout == 0 {
					continue
				}
				drop := dropBelow(l.Dropout)
				step[i] = make([]bool, len(rows)*l.Units)
				for j := range step[i] {
					step[i][j] = pcg.Uint64()&(1<<53-1) >= drop
				}
			}
			masks = append(masks, step)
		}
		epochs = append(epochs, batches)
	}
	return epochs, masks
}

// maxRelDiff is the largest |a-b| / (1 + |b|) over a and b.
func maxRelDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i])/(1+math.Abs(b[i])))
	}
	if math.IsNaN(d) {
		return math.Inf(1)
	}
	return d
}

// TestAgainstPyTorch trains small nets a few epochs and replays the same
// steps (initial weights, minibatches, dropout masks) in PyTorch with
// torch.optim: every head's loss, activation, optimizer, L2, the cosine
// schedule, dropout, the partial last minibatch, in both precisions. The
// per-epoch training losses, the final weights and the validation loss
// must agree within float64 rounding (1e-12) and float32's (2e-6).
func TestAgainstPyTorch(t *testing.T) {
	needTorch(t)
	type tc struct {
		name string
		spec Spec
		cfg  TrainConfig
	}
	hidden := func(act Activation, units ...int) []Layer {
		var ls []Layer
		for _, u := range units {
			ls = append(ls, Layer{Units: u, Activation: act})
		}
		return ls
	}
	sm := func(act Activation) Spec {
		return Spec{Inputs: 4, Outputs: 3, Head: Softmax, Hidden: hidden(act, 6, 5)}
	}
	base := TrainConfig{Epochs: 3, Batch: 8, Seed: 11}
	with := func(f func(*TrainConfig)) TrainConfig { c := base; f(&c); return c }
	var cases []tc
	for act := ReLU; act <= Linear; act++ {
		cases = append(cases, tc{"softmax/adam/" + act.String(), sm(act), with(func(c *TrainConfig) { c.LR = 0.01 })})
	}
	drop := sm(ReLU)
	drop.Hidden[0].Dropout, drop.Hidden[1].Dropout = 0.3, 0.5
	cases = append(cases,
		tc{"binary/sgd", Spec{Inputs: 4, Outputs: 1, Head: Binary, Hidden: hidden(Tanh, 7)}, with(func(c *TrainConfig) { c.Optimizer, c.LR = SGD, 0.1 })},
		tc{"binary/sgd-momentum", Spec{Inputs: 4, Outputs: 1, Head: Binary, Hidden: hidden(ReLU, 7)}, with(func(c *TrainConfig) { c.Optimizer, c.LR, c.Momentum = SGD, 0.05, 0.9 })},
		tc{"regression/sgd-momentum", Spec{Inputs: 4, Outputs: 2, Head: Regression, Hidden: hidden(ELU, 6)}, with(func(c *TrainConfig) { c.Optimizer, c.LR, c.Momentum = SGD, 0.02, 0.5 })},
		tc{"regression/adam", Spec{Inputs: 4, Outputs: 2, Head: Regression, Hidden: hidden(Tanh, 6, 3)}, with(func(c *TrainConfig) { c.LR = 0.02 })},
		tc{"regression/no-hidden", Spec{Inputs: 4, Outputs: 1, Head: Regression}, with(func(c *TrainConfig) { c.LR = 0.05 })},
		tc{"softmax/adam-eps-betas", sm(Sigmoid), with(func(c *TrainConfig) { c.LR, c.Beta1, c.Beta2, c.Eps = 0.05, 0.8, 0.95, 0.1 })},
		tc{"softmax/adam-l2", sm(ReLU), with(func(c *TrainConfig) { c.LR, c.L2 = 0.01, 0.3 })},
		tc{"softmax/sgd-momentum-l2", sm(Tanh), with(func(c *TrainConfig) { c.Optimizer, c.LR, c.Momentum, c.L2 = SGD, 0.1, 0.9, 0.2 })},
		tc{"softmax/adam-cosine", sm(ELU), with(func(c *TrainConfig) { c.LR, c.Schedule, c.Epochs = 0.02, Cosine, 5 })},
		tc{"regression/sgd-cosine", Spec{Inputs: 4, Outputs: 1, Head: Regression, Hidden: hidden(LeakyReLU, 5)}, with(func(c *TrainConfig) { c.Optimizer, c.LR, c.Schedule, c.Momentum, c.Epochs = SGD, 0.05, Cosine, 0.9, 4 })},
		tc{"softmax/dropout", drop, with(func(c *TrainConfig) { c.LR = 0.01 })},
		tc{"softmax/wide-relu", Spec{Inputs: 19, Outputs: 5, Head: Softmax, Hidden: hidden(ReLU, 40, 33)}, with(func(c *TrainConfig) { c.LR, c.Batch, c.L2 = 0.01, 16, 0.01 })},
		tc{"softmax/wide-tanh-dropout", Spec{Inputs: 19, Outputs: 5, Head: Softmax, Hidden: []Layer{{Units: 37, Activation: Tanh, Dropout: 0.2}, {Units: 24, Activation: ELU, Dropout: 0.1}}}, with(func(c *TrainConfig) { c.LR, c.Batch = 0.01, 16 })},
		tc{"binary/full-batch", Spec{Inputs: 4, Outputs: 1, Head: Binary, Hidden: hidden(Sigmoid, 4)}, with(func(c *TrainConfig) { c.LR, c.Batch = 0.05, 100 })},
	)
	const rows = 23 // 8 + 8 + 7: a partial last minibatch
	type run struct {
		losses  []float64
		weights []float64
		val     float64
	}
	got := map[string]run{}
	var tcs []torchCase
	for i, c := range cases {
		rng := rand.New(rand.NewPCG(uint64(i), 3))
		train := randomData(rng, rows, c.spec.Inputs, c.spec.Outputs, c.spec.Head)
		val := randomData(rng, 9, c.spec.Inputs, c.spec.Outputs, c.spec.Head)
		net, err := New(c.spec, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		w0 := net.Weights()
		for _, l := range net.layers {
			for j := l.b; j < l.b+l.out; j++ {
				w0[j] = 0.2 * rng.NormFloat64() // biases that L2 would move, if it reached them
			}
		}
		epochs, masks := replayPlan(c.spec, c.cfg.withDefaults(), rows)
		for _, prec := range []Precision{Float64, Float32} {
			name := c.name + "/" + string(prec)
			cfg := c.cfg
			cfg.Precision = prec
			var losses []float64
			cfg.OnEpoch = func(s EpochStats) bool { losses = append(losses, s.TrainLoss); return false }
			n := net.Clone()
			if err := n.SetWeights(w0); err != nil {
				t.Fatal(err)
			}
			res, err := n.Train(context.Background(), train, val, cfg)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got[name] = run{losses, n.Weights(), res.Val.Loss}
			tcs = append(tcs, torchCase{Name: name, Spec: c.spec, DType: string(prec), Weights: w0, X: train.X, Y: train.Y,
				ValX: val.X, ValY: val.Y, Cfg: cfg.withDefaults(), Epochs: epochs, Masks: masks})
		}
	}
	want := runTorch(t, tcs)
	for _, c := range tcs {
		g, w := got[c.Name], want[c.Name]
		tol := 1e-12
		if c.DType == "float32" {
			tol = 2e-6
		}
		var rates []float64
		for e := range c.Cfg.Epochs {
			rates = append(rates, c.Cfg.lrAt(e+1))
		}
		for _, d := range []struct {
			what      string
			got, want []float64
			tol       float64
		}{
			{"epoch losses", g.losses, w.Losses, tol},
			{"weights", g.weights, w.Weights, tol},
			{"validation loss", []float64{g.val}, []float64{w.ValLoss}, tol},
			{"learning rates", rates, w.Rates, 1e-12},
		} {
			if diff := maxRelDiff(d.got, d.want); diff > d.tol {
				t.Errorf("%s: %s differ from PyTorch's by %.3g (tolerance %g)\n got %v\nwant %v", c.Name, d.what, diff, d.tol, short(d.got), short(d.want))
			} else if testing.Verbose() {
				t.Logf("%s: %s agree within %.3g", c.Name, d.what, diff)
			}
		}
	}
}

// short formats at most 6 values.
func short(v []float64) string {
	if len(v) > 6 {
		return fmt.Sprint(v[:6]) + "..."
	}
	return fmt.Sprint(v)
}
