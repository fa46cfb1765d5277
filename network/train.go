package network

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Data is a set of examples: X row-major (N x inputs) and Y, one class index
// per row for Binary and Softmax heads, N x outputs targets for Regression.
type Data struct {
	X []float64
	Y []float64
	N int
}

// Optimizer names an update rule.
type Optimizer string

// The optimizers.
const (
	Adam Optimizer = "adam"
	SGD  Optimizer = "sgd"
)

// TrainConfig holds the training settings. Zero values of the optional
// fields take PyTorch's defaults, but for SGD's learning rate, which
// PyTorch required before 2.2 and has set to 1e-3 since.
type TrainConfig struct {
	Epochs    int       // passes over the training data, >= 1
	Batch     int       // minibatch size, >= 1 (capped at the training set size)
	Optimizer Optimizer // Adam when empty
	LR        float64   // learning rate; 0 means 1e-3 for Adam, 1e-2 for SGD
	Schedule  Schedule  // learning rate over the epochs: Const ("") or Cosine (schedule.go)
	Beta1     float64   // Adam; 0 means 0.9
	Beta2     float64   // Adam; 0 means 0.999
	Eps       float64   // Adam; 0 means 1e-8
	Momentum  float64   // SGD momentum
	L2        float64   // weight decay: adds L2*w to each weight's gradient (biases excluded)
	Patience  int       // stop after this many epochs without a lower validation loss and restore the best weights; 0 = off
	Seed      uint64    `json:",string"`    // minibatch shuffling and dropout masks; a string in JSON, which a double cannot hold
	Precision Precision `json:",omitempty"` // arithmetic of the training step; Float64 when empty
	Helpers   Helpers   `json:"-"`          // idle cores a float32 training may borrow for its products; nil = none
	MaxMemory int64     // bytes a training may need (see Spec.TrainingMemory); 0 = DefaultMaxMemory

	// OnEpoch, when set, sees each epoch's statistics; returning true stops
	// training after that epoch (the weights are kept as they are, or the
	// best ones restored when Patience is set).
	OnEpoch func(EpochStats) (stop bool) `json:"-"`
}

func (c TrainConfig) withDefaults() TrainConfig {
	if c.Optimizer == "" {
		c.Optimizer = Adam
	}
	if c.LR == 0 {
		c.LR = 1e-3
		if c.Optimizer == SGD {
			c.LR = 1e-2
		}
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Eps == 0 {
		c.Eps = 1e-8
	}
	return c
}

// CheckConfig reports whether Train accepts cfg, after its defaults.
func CheckConfig(cfg TrainConfig) error { return cfg.withDefaults().Validate() }

// Metrics scores a net on a data set.
type Metrics struct {
	Loss     float64 // mean loss, without the L2 penalty
	Accuracy float64 // classification heads
	R2       float64 // regression head: 1 - residual / total sum of squares; 0 for targets of one value
	RMSE     float64 // regression head, in Y's units
	// ClassRows and ClassHits, for classification heads, count by class
	// index the rows whose target is that class and those of them the net
	// predicted right: the confusion matrix's row sums and diagonal, from
	// which per-class recall and balanced accuracy follow.
	ClassRows []int
	ClassHits []int
}

// EpochStats is what an OnEpoch callback sees.
type EpochStats struct {
	Epoch     int     // 1-based
	TrainLoss float64 // mean training loss over the epoch
	Val       Metrics // zero when there is no validation data
	Samples   int     // training samples processed so far
}

// Result describes a finished training.
type Result struct {
	Epochs      int     // epochs run
	BestEpoch   int     // epoch whose weights the net holds
	Samples     int     // training samples processed
	Seconds     float64 // wall time of the training, validation included
	StepSeconds float64 // time spent in minibatch steps alone, as PyTorch's anchor measures
	TrainLoss   float64 // mean training loss of the last epoch
	Val         Metrics // validation metrics of the weights the net holds
	Stop        string  // why training ended early: "patience", "callback", or "" after all epochs
}

// Train fits the net to train by minibatch gradient descent, reshuffling the
// rows every epoch from cfg.Seed, and scores it on val after every epoch
// (val may be empty). The same net, data and config give bit-identical
// weights and metrics. A loss or weight that stops being finite ends
// training with a *DivergedError; a cancelled ctx ends it with ctx.Err().
func (n *Net) Train(ctx context.Context, train, val Data, cfg TrainConfig) (Result, error) {
	s, err := n.NewSession(train, val, cfg)
	if err != nil {
		return Result{}, err
	}
	if _, err := s.Run(ctx, s.cfg.Epochs); err != nil {
		return s.res, err
	}
	return s.Finish(), nil
}

// Session is a training run in stages: Run trains up to a number of
// epochs, and a later Run continues where it stopped, so that a session run
// to 3 epochs and then to 9 ends exactly like a Train of 9 epochs. Multi-
// fidelity searches use it to train many candidates briefly and only the
// promising ones further.
type Session struct {
	net        *Net
	t          *trainer
	train, val Data
	cfg        TrainConfig

	best     []float64 // the best weights, when Patience is set
	bestLoss float64
	wait     int
	res      Result
	stopped  bool // by patience or the callback
}

// NewSession prepares a training of the net; nothing runs until Run.
func (n *Net) NewSession(train, val Data, cfg TrainConfig) (*Session, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := n.checkData(train, "train"); err != nil {
		return nil, err
	}
	if err := n.checkData(val, "validation"); err != nil {
		return nil, err
	}
	if train.N == 0 {
		return nil, fmt.Errorf("network: no training data")
	}
	if err := n.spec.CheckMemory(cfg, train.N, val.N); err != nil {
		return nil, err
	}
	s := &Session{net: n, t: newTrainer(n, min(cfg.Batch, train.N), cfg), train: train, val: val, cfg: cfg, bestLoss: math.Inf(1)}
	if cfg.Patience > 0 && val.N > 0 {
		s.best = make([]float64, len(n.params))
	}
	return s, nil
}

// Stopped reports whether early stopping or the callback ended the
// training before its epochs ran out.
func (s *Session) Stopped() bool { return s.stopped }

// Result returns the session's result so far; Val is the validation
// metrics of the best epoch (of the last, without patience).
func (s *Session) Result() Result { return s.res }

// Run trains until `epochs` epochs have run in all (at most the config's
// Epochs), early stopping or the callback stops it, or an error. The net
// holds the weights of the last epoch run.
func (s *Session) Run(ctx context.Context, epochs int) (Result, error) {
	start := time.Now()
	defer func() { s.res.Seconds += time.Since(start).Seconds() }()
	n, t, train, val, cfg := s.net, s.t, s.train, s.val, s.cfg
	done := ctx.Done()
	for epoch := s.res.Epochs + 1; epoch <= min(epochs, cfg.Epochs) && !s.stopped; epoch++ {
		t0 := time.Now()
		t.cfg.LR = cfg.lrAt(epoch)
		sum, err := t.epoch(train, done)
		s.res.StepSeconds += time.Since(t0).Seconds()
		if err != nil {
			if err == errCancelled {
				return s.res, ctx.Err()
			}
			return s.res, &DivergedError{Epoch: epoch, Reason: err.Error()}
		}
		s.res.Epochs = epoch
		s.res.Samples += train.N
		s.res.TrainLoss = sum / float64(train.N)
		if limit := explosion * max(t.initLoss, 1); s.res.TrainLoss > limit {
			return s.res, &DivergedError{Epoch: epoch, Reason: fmt.Sprintf("training loss %.4g exploded from %.4g", s.res.TrainLoss, t.initLoss)}
		}
		if i := firstNonFinite(n.params); i >= 0 {
			return s.res, &DivergedError{Epoch: epoch, Reason: fmt.Sprintf("parameter %d is %v", i, n.params[i])}
		}
		var m Metrics
		if val.N > 0 {
			m = t.eval.metrics(val)
			if math.IsNaN(m.Loss) || math.IsInf(m.Loss, 0) {
				return s.res, &DivergedError{Epoch: epoch, Reason: fmt.Sprintf("validation loss is %v", m.Loss)}
			}
		}
		if s.best == nil || m.Loss < s.bestLoss {
			s.bestLoss, s.wait = m.Loss, 0
			s.res.BestEpoch, s.res.Val = epoch, m
			if s.best != nil {
				copy(s.best, n.params)
			}
		} else {
			s.wait++
		}
		if cfg.OnEpoch != nil && cfg.OnEpoch(EpochStats{Epoch: epoch, TrainLoss: s.res.TrainLoss, Val: m, Samples: s.res.Samples}) {
			s.res.Stop, s.stopped = "callback", true
		} else if s.best != nil && s.wait >= cfg.Patience {
			s.res.Stop, s.stopped = "patience", true
		}
	}
	return s.res, nil
}

// Finish ends the session: with Patience set, the net gets back the
// weights of its best epoch. It returns the final result.
func (s *Session) Finish() Result {
	if s.best != nil && s.res.BestEpoch != s.res.Epochs {
		copy(s.net.params, s.best)
	}
	return s.res
}

// Evaluate scores the net on d.
func (n *Net) Evaluate(d Data) (Metrics, error) {
	if err := n.checkData(d, "evaluation"); err != nil {
		return Metrics{}, err
	}
	if d.N == 0 {
		return Metrics{}, fmt.Errorf("network: no data to evaluate")
	}
	return newEvaluator(n, min(d.N, evalChunk)).metrics(d), nil
}

func (n *Net) checkData(d Data, what string) error {
	if d.N < 0 || len(d.X) != d.N*n.spec.Inputs {
		return fmt.Errorf("network: %s data has %d values for %d rows of %d inputs", what, len(d.X), d.N, n.spec.Inputs)
	}
	yw := n.yWidth()
	if len(d.Y) != d.N*yw {
		return fmt.Errorf("network: %s data has %d targets for %d rows", what, len(d.Y), d.N)
	}
	if n.spec.Head != Regression {
		k := max(n.spec.Outputs, 2)
		for i, y := range d.Y {
			if y != math.Trunc(y) || y < 0 || int(y) >= k {
				return fmt.Errorf("network: %s row %d has class %v outside 0..%d", what, i, y, k-1)
			}
		}
	}
	return nil
}

// yWidth is the number of target values per row.
func (n *Net) yWidth() int {
	if n.spec.Head == Regression {
		return n.spec.Outputs
	}
	return 1
}

func firstNonFinite(v []float64) int {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}

type trainError string

func (e trainError) Error() string { return string(e) }

const errCancelled = trainError("cancelled")

// explosion bounds a finite but runaway loss: an epoch whose mean training
// loss exceeds explosion times the untrained net's loss (or explosion, if
// that is larger) counts as diverged. For cross-entropy, 100 times log(k)
// means the net is all but certain of wrong answers.
const explosion = 100

// trainer holds every buffer a training step needs, sized once per net and
// batch size, so that a step allocates nothing.
type trainer struct {
	net   *Net
	impl  blas.Float64
	cfg   TrainConfig
	batch int
	rng   *rand.Rand
	pcg   *rand.PCG // rng's source: dropout draws from it directly
	perm  []int

	xb, yb []float64   // the gathered minibatch
	acts   [][]float64 // per layer: activation output (hidden) or logits (output)
	drops  [][]float64 // per hidden layer with dropout: the dropped output fed forward
	masks  [][]float64 // per hidden layer with dropout: 0 or 1/(1-p)
	deltas [][]float64 // per layer: gradient of the loss with respect to the pre-activation
	grads  []float64   // same layout as net.params
	wt     []float64   // a transposed weight matrix
	m, v   []float64   // Adam moments, or SGD velocity in m
	steps  int

	initLoss float64 // mean loss of the first minibatch, before any update
	started  bool

	eval *evaluator
	f32  *trainer32 // a float32 training: it does the steps, and this trainer holds only eval
}

const evalChunk = 256

func newTrainer(n *Net, batch int, cfg TrainConfig) *trainer {
	if cfg.Precision == Float32 {
		return &trainer{net: n, cfg: cfg, batch: batch, eval: newEvaluator(n, evalChunk), f32: newTrainer32(n, batch, cfg)}
	}
	t := &trainer{
		net:   n,
		impl:  blas64.Implementation(),
		cfg:   cfg,
		batch: batch,
		pcg:   rand.NewPCG(cfg.Seed, 0xda3e39cb94b95bdb),
		xb:    make([]float64, batch*n.spec.Inputs),
		yb:    make([]float64, batch*n.yWidth()),
		grads: make([]float64, len(n.params)),
		m:     make([]float64, len(n.params)),
		eval:  newEvaluator(n, evalChunk),
	}
	t.rng = rand.New(t.pcg)
	if cfg.Optimizer == Adam {
		t.v = make([]float64, len(n.params))
	}
	wt := 0
	for i, l := range n.layers {
		if i > 0 {
			wt = max(wt, l.in*l.out)
		}
	}
	t.wt = make([]float64, wt)
	for _, l := range n.layers {
		t.acts = append(t.acts, make([]float64, batch*l.out))
		t.deltas = append(t.deltas, make([]float64, batch*l.out))
		var d, m []float64
		if l.dropout > 0 {
			d, m = make([]float64, batch*l.out), make([]float64, batch*l.out)
		}
		t.drops = append(t.drops, d)
		t.masks = append(t.masks, m)
	}
	return t
}

// epoch runs one pass over d in a fresh random order and returns the summed
// loss. It stops early with errCancelled when done is closed, or with a
// trainError when a minibatch loss is not finite.
func (t *trainer) epoch(d Data, done <-chan struct{}) (float64, error) {
	if t.f32 != nil {
		t.f32.cfg.LR = t.cfg.LR // a learning-rate schedule sets it per epoch
		return t.f32.epoch(t, d, done)
	}
	if len(t.perm) != d.N {
		t.perm = make([]int, d.N)
		for i := range t.perm {
			t.perm[i] = i
		}
	}
	for i := len(t.perm) - 1; i > 0; i-- {
		j := t.rng.IntN(i + 1)
		t.perm[i], t.perm[j] = t.perm[j], t.perm[i]
	}
	in, yw := t.net.spec.Inputs, t.net.yWidth()
	sum := 0.0
	for s := 0; s < d.N; s += t.batch {
		select {
		case <-done:
			return sum, errCancelled
		default:
		}
		rows := min(t.batch, d.N-s)
		for r, idx := range t.perm[s : s+rows] {
			copy(t.xb[r*in:(r+1)*in], d.X[idx*in:(idx+1)*in])
			copy(t.yb[r*yw:(r+1)*yw], d.Y[idx*yw:(idx+1)*yw])
		}
		loss := t.step(t.xb[:rows*in], t.yb[:rows*yw], rows)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return sum, trainError(fmt.Sprintf("minibatch loss is %v", loss))
		}
		if !t.started {
			t.initLoss, t.started = loss/float64(rows), true
		}
		sum += loss
	}
	return sum, nil
}

// step does one forward and backward pass over rows examples and one
// optimizer update. It returns the minibatch's summed loss.
func (t *trainer) step(x, y []float64, rows int) float64 {
	loss := t.forwardBackward(x, y, rows)
	t.update()
	return loss
}

// forwardBackward leaves the gradient of the mean minibatch loss (plus the L2
// penalty's) in t.grads and returns the summed loss.
func (t *trainer) forwardBackward(x, y []float64, rows int) float64 {
	n := t.net
	p := n.params
	in := x
	last := len(n.layers) - 1
	for i, l := range n.layers {
		a := t.acts[i][:rows*l.out]
		gemm(t.impl, false, rows, l.out, l.in, in, l.in, p[l.w:l.b], l.out, 0, a, l.out)
		l.activation.apply(a, p[l.b:l.b+l.out])
		in = a
		if l.dropout > 0 && i < last {
			in = dropout(t.pcg, l.dropout, a, t.drops[i][:rows*l.out], t.masks[i][:rows*l.out])
		}
	}
	loss := lossGrad(n.spec.Head, t.acts[last][:rows*n.spec.Outputs], y, n.spec.Outputs, t.deltas[last][:rows*n.spec.Outputs])

	for i := last; i >= 0; i-- {
		l := n.layers[i]
		g := t.deltas[i][:rows*l.out]
		if i < last {
			// g holds the gradient with respect to this layer's (dropped) output.
			if l.dropout > 0 {
				for j, m := range t.masks[i][:rows*l.out] {
					g[j] *= m
				}
			}
			l.activation.backprop(g, t.acts[i])
		}
		prev := x
		if i > 0 {
			prev = t.acts[i-1][:rows*l.in]
			if t.drops[i-1] != nil {
				prev = t.drops[i-1][:rows*l.in]
			}
		}
		// dW = prevᵀ g, db = column sums of g.
		gemm(t.impl, true, l.in, l.out, rows, prev, l.in, g, l.out, 0, t.grads[l.w:l.b], l.out)
		db := t.grads[l.b : l.b+l.out]
		copy(db, g[:l.out])
		for r := 1; r < rows; r++ {
			for j, v := range g[r*l.out : (r+1)*l.out] {
				db[j] += v
			}
		}
		if i > 0 {
			// The previous layer's output gradient: g Wᵀ.
			wt := t.wt[:l.in*l.out]
			transpose(p[l.w:l.b], l.in, l.out, wt)
			gemm(t.impl, false, rows, l.in, l.out, g, l.out, wt, l.in, 0, t.deltas[i-1][:rows*l.in], l.in)
		}
	}
	if t.cfg.L2 > 0 {
		for _, l := range n.layers {
			gw, w := t.grads[l.w:l.b], p[l.w:l.b]
			for j, v := range w {
				gw[j] += t.cfg.L2 * v
			}
		}
	}
	return loss
}

// update applies one optimizer step with t.grads.
func (t *trainer) update() {
	p, g := t.net.params, t.grads
	c := &t.cfg
	if c.Optimizer == SGD {
		mom, lr := c.Momentum, c.LR
		vel := t.m[:len(p)]
		for i, gi := range g[:len(p)] {
			v := mom*vel[i] + gi
			vel[i] = v
			p[i] -= lr * v
		}
		return
	}
	t.steps++
	b1, b2 := c.Beta1, c.Beta2
	step := c.LR / (1 - math.Pow(b1, float64(t.steps)))
	ibc2 := 1 / math.Sqrt(1-math.Pow(b2, float64(t.steps)))
	k := [7]float64{b1, 1 - b1, b2, 1 - b2, step, ibc2, c.Eps}
	done := adam(p, g, t.m, t.v, &k)
	m, v := t.m[done:len(p)], t.v[done:len(p)]
	g = g[done:len(p)]
	p = p[done:]
	for i, gi := range g {
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		p[i] -= step * mi / (math.Sqrt(vi)*ibc2 + c.Eps)
	}
}

// lossGrad computes the head's summed loss over the rows of logits z
// (rows x k) against targets y, and writes the gradient of the mean loss
// with respect to z into g.
func lossGrad(h Head, z, y []float64, k int, g []float64) float64 {
	rows := len(z) / k
	inv := 1 / float64(rows)
	loss := 0.0
	switch h {
	case Binary:
		for i, v := range z {
			t := y[i]
			// Binary cross-entropy from the logit: max(v,0) - v*t + log(1+exp(-|v|)).
			loss += max(v, 0) - v*t + math.Log1p(math.Exp(-math.Abs(v)))
			g[i] = (sigmoid(v) - t) * inv
		}
	case Softmax:
		for r := 0; r < rows; r++ {
			zr, gr := z[r*k:(r+1)*k], g[r*k:(r+1)*k]
			mx := math.Inf(-1)
			for _, v := range zr {
				mx = max(mx, v)
			}
			s := 0.0
			for j, v := range zr {
				e := math.Exp(v - mx)
				gr[j] = e
				s += e
			}
			c := int(y[r])
			loss += math.Log(s) - (zr[c] - mx)
			is := inv / s
			for j := range gr {
				gr[j] *= is
			}
			gr[c] -= inv
		}
	default:
		scale := 2 / float64(len(z))
		for i, v := range z {
			d := v - y[i]
			loss += d * d / float64(k)
			g[i] = d * scale
		}
	}
	return loss
}

// evaluator runs forward passes without dropout in chunks of up to cap rows.
type evaluator struct {
	net  *Net
	impl blas.Float64
	cap  int
	acts [][]float64
}

func newEvaluator(n *Net, cap int) *evaluator {
	e := &evaluator{net: n, impl: blas64.Implementation(), cap: max(cap, 1)}
	for _, l := range n.layers {
		e.acts = append(e.acts, make([]float64, e.cap*l.out))
	}
	return e
}

// forward returns the logits of m rows of x (m <= cap), valid until the next call.
func (e *evaluator) forward(x []float64, m int) []float64 {
	in := x
	p := e.net.params
	for i, l := range e.net.layers {
		a := e.acts[i][:m*l.out]
		gemm(e.impl, false, m, l.out, l.in, in, l.in, p[l.w:l.b], l.out, 0, a, l.out)
		l.activation.apply(a, p[l.b:l.b+l.out])
		in = a
	}
	return in
}

// metrics scores the net on d.
func (e *evaluator) metrics(d Data) Metrics {
	n := e.net
	k, in, yw := n.spec.Outputs, n.spec.Inputs, n.yWidth()
	var loss, correct, ssRes float64
	var rows, hits []int
	if n.spec.Head != Regression {
		rows, hits = make([]int, max(k, 2)), make([]int, max(k, 2))
	}
	for s := 0; s < d.N; s += e.cap {
		m := min(e.cap, d.N-s)
		z := e.forward(d.X[s*in:(s+m)*in], m)
		y := d.Y[s*yw : (s+m)*yw]
		switch n.spec.Head {
		case Binary:
			for i, v := range z {
				loss += max(v, 0) - v*y[i] + math.Log1p(math.Exp(-math.Abs(v)))
				c := int(y[i])
				rows[c]++
				if (v > 0) == (y[i] == 1) {
					correct++
					hits[c]++
				}
			}
		case Softmax:
			for r := 0; r < m; r++ {
				zr := z[r*k : (r+1)*k]
				mx, arg := math.Inf(-1), 0
				for j, v := range zr {
					if v > mx {
						mx, arg = v, j
					}
				}
				s := 0.0
				for _, v := range zr {
					s += math.Exp(v - mx)
				}
				c := int(y[r])
				loss += math.Log(s) - (zr[c] - mx)
				rows[c]++
				if arg == c {
					correct++
					hits[c]++
				}
			}
		default:
			for i, v := range z {
				dd := v - y[i]
				ssRes += dd * dd
			}
		}
	}
	if n.spec.Head != Regression {
		return Metrics{Loss: loss / float64(d.N), Accuracy: correct / float64(d.N), ClassRows: rows, ClassHits: hits}
	}
	mean := make([]float64, k)
	for i, v := range d.Y {
		mean[i%k] += v
	}
	ssTot, varied := 0.0, false
	for i, v := range d.Y {
		dd := v - mean[i%k]/float64(d.N)
		ssTot += dd * dd
		varied = varied || v != d.Y[i%k]
	}
	cnt := float64(len(d.Y))
	r2 := 0.0
	// Targets of one value have no variance to explain, even where their
	// mean rounds and ssTot is that rounding error.
	if ssTot > 0 && varied {
		r2 = 1 - ssRes/ssTot
	}
	return Metrics{Loss: ssRes / cnt, R2: r2, RMSE: math.Sqrt(ssRes / cnt)}
}

// dropout draws the mask m of inverted dropout with rate p for the
// outputs a (1 / (1 - p) for a unit kept, 0 for one dropped), writes the
// masked outputs into d and returns d. A unit is dropped when the low 53
// bits of the source's next number are below dropBelow(p): exactly when
// rand.Rand.Float64 (those bits / 2^53) would be below p, but without the
// interface call and the conversion per unit. The choice is a bit mask,
// not a branch, which would mispredict for a random share p of the units:
// the bits and dropBelow(p) are at most 2^53, so their difference has its
// sign bit set exactly when the unit is dropped, and k, all ones for a
// unit kept and 0 for one dropped, makes a dropped unit's mask and output
// +0, as a branch would write them.
func dropout(src *rand.PCG, p float64, a, d, m []float64) []float64 {
	keep := 1 / (1 - p)
	kb := math.Float64bits(keep)
	drop := dropBelow(p)
	d, m = d[:len(a)], m[:len(a)]
	for j, v := range a {
		k := (src.Uint64()&(1<<53-1)-drop)>>63 - 1 // all ones when kept
		m[j] = math.Float64frombits(kb & k)
		d[j] = math.Float64frombits(math.Float64bits(v*keep) & k)
	}
	return d
}

// dropout32 is dropout in float32.
func dropout32(src *rand.PCG, p float64, a, d, m []float32) []float32 {
	keep := float32(1 / (1 - p))
	kb := math.Float32bits(keep)
	drop := dropBelow(p)
	d, m = d[:len(a)], m[:len(a)]
	for j, v := range a {
		k := uint32((src.Uint64()&(1<<53-1)-drop)>>63 - 1)
		m[j] = math.Float32frombits(kb & k)
		d[j] = math.Float32frombits(math.Float32bits(v*keep) & k)
	}
	return d
}

// dropBelow is dropout's threshold for rate p: ceil(p * 2^53).
func dropBelow(p float64) uint64 {
	return uint64(math.Ceil(p * (1 << 53)))
}
