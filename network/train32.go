package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// trainer32 is a float32 training of a net: the trainer's steps on a
// float32 copy of the weights. It draws minibatches and dropout masks from
// the same random stream as the float64 trainer, so both precisions see
// the same examples in the same order and differ only by rounding. After
// every epoch it writes its weights back into the net's float64 ones,
// where validation, early stopping and saving read them.
type trainer32 struct {
	net   *Net
	cfg   TrainConfig
	batch int
	rng   *rand.Rand
	pcg   *rand.PCG // rng's source: dropout draws from it directly
	perm  []int

	params []float32 // the weights trained, in the net's layout
	grads  []float32
	m, v   []float32 // Adam moments, or SGD velocity in m
	steps  int

	x     []float32 // the training inputs converted once per data set
	xFrom *float64  // the first input the conversion read, to notice new data
	xb    []float32 // the gathered minibatch
	yb    []float64

	acts   [][]float32
	drops  [][]float32
	masks  [][]float32
	deltas [][]float32
	wt     []float32 // a transposed weight matrix, without the float32 kernels

	splittable bool       // the forward pass is large enough to ask for a lent core
	help       *helper    // started when a core is first lent, stopped after each epoch
	helping    bool       // this step holds a lent core
	adamK      [7]float32 // the step's Adam constants (a helper's job points at them)
	pack       packT32    // gemmNT's panel
	times      stepTimes
}

func newTrainer32(n *Net, batch int, cfg TrainConfig) *trainer32 {
	t := &trainer32{
		net:    n,
		cfg:    cfg,
		batch:  batch,
		pcg:    rand.NewPCG(cfg.Seed, 0xda3e39cb94b95bdb),
		params: make([]float32, len(n.params)),
		grads:  make([]float32, len(n.params)),
		m:      make([]float32, len(n.params)),
		xb:     make([]float32, batch*n.spec.Inputs),
		yb:     make([]float64, batch*n.yWidth()),
	}
	t.rng = rand.New(t.pcg)
	if cfg.Optimizer == Adam {
		t.v = make([]float32, len(n.params))
	}
	for i, v := range n.params {
		t.params[i] = float32(v)
	}
	if !kernels32InUse() {
		// gemmNT's transposes, for the BLAS
		wt := 0
		for i, l := range n.layers {
			if i > 0 {
				wt = max(wt, l.in*l.out)
			}
		}
		t.wt = make([]float32, wt)
	}
	work := 0
	for _, l := range n.layers {
		work += batch * l.in * l.out
		t.acts = append(t.acts, make([]float32, batch*l.out))
		t.deltas = append(t.deltas, make([]float32, batch*l.out))
		var d, m []float32
		if l.dropout > 0 {
			d, m = make([]float32, batch*l.out), make([]float32, batch*l.out)
		}
		t.drops = append(t.drops, d)
		t.masks = append(t.masks, m)
	}
	t.splittable = work >= helpWork
	return t
}

// epoch is trainer.epoch in float32; it keeps p's record of the first
// minibatch loss and leaves the weights in the net when it returns.
func (t *trainer32) epoch(p *trainer, d Data, done <-chan struct{}) (float64, error) {
	defer t.store()
	defer t.stopHelper()
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
	x := t.inputs(d)
	sum := 0.0
	for s := 0; s < d.N; s += t.batch {
		select {
		case <-done:
			return sum, errCancelled
		default:
		}
		rows := min(t.batch, d.N-s)
		for r, idx := range t.perm[s : s+rows] {
			copy(t.xb[r*in:(r+1)*in], x[idx*in:(idx+1)*in])
			copy(t.yb[r*yw:(r+1)*yw], d.Y[idx*yw:(idx+1)*yw])
		}
		loss := t.step(t.xb[:rows*in], t.yb[:rows*yw], rows)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return sum, trainError(fmt.Sprintf("minibatch loss is %v", loss))
		}
		if !p.started {
			p.initLoss, p.started = loss/float64(rows), true
		}
		sum += loss
	}
	return sum, nil
}

// inputs returns d's inputs in float32, converting them on the first call
// for a data set (once per training, not once per epoch).
func (t *trainer32) inputs(d Data) []float32 {
	if len(d.X) == 0 {
		return nil
	}
	if len(t.x) == len(d.X) && t.xFrom == &d.X[0] {
		return t.x
	}
	t.x = make([]float32, len(d.X))
	for i, v := range d.X {
		t.x[i] = float32(v)
	}
	t.xFrom = &d.X[0]
	return t.x
}

// store writes the float32 weights into the net.
func (t *trainer32) store() {
	for i, v := range t.params {
		t.net.params[i] = float64(v)
	}
}

// step does one forward and backward pass and one optimizer update, and
// returns the minibatch's summed loss.
func (t *trainer32) step(x []float32, y []float64, rows int) float64 {
	if t.cfg.Helpers == nil {
		loss := t.forwardBackward(x, y, rows)
		t.update()
		return loss
	}
	t.beginStep()
	start, helped := time.Now(), t.helping
	loss := t.forwardBackward(x, y, rows)
	t.update()
	t.times.add(helped, time.Since(start).Seconds())
	t.endStep()
	return loss
}

// forwardBackward is trainer.forwardBackward in float32.
func (t *trainer32) forwardBackward(x []float32, y []float64, rows int) float64 {
	n := t.net
	p := t.params
	in := x
	last := len(n.layers) - 1
	for i, l := range n.layers {
		a := t.acts[i][:rows*l.out]
		t.gemm(false, rows, l.out, l.in, in, l.in, p[l.w:l.b], l.out, a, l.out)
		t.apply(l.activation, a, p[l.b:l.b+l.out])
		in = a
		if l.dropout > 0 && i < last {
			in = dropout32(t.pcg, l.dropout, a, t.drops[i][:rows*l.out], t.masks[i][:rows*l.out])
		}
	}
	loss := lossGrad32(n.spec.Head, t.acts[last][:rows*n.spec.Outputs], y, n.spec.Outputs, t.deltas[last][:rows*n.spec.Outputs])

	for i := last; i >= 0; i-- {
		l := n.layers[i]
		g := t.deltas[i][:rows*l.out]
		if i < last {
			if l.dropout > 0 {
				masks := t.masks[i][:rows*l.out]
				for j := mulKernel32(g, masks); j < len(g); j++ {
					g[j] *= masks[j]
				}
			}
			backprop32(l.activation, g, t.acts[i])
		}
		prev := x
		if i > 0 {
			prev = t.acts[i-1][:rows*l.in]
			if t.drops[i-1] != nil {
				prev = t.drops[i-1][:rows*l.in]
			}
		}
		t.gemm(true, l.in, l.out, rows, prev, l.in, g, l.out, t.grads[l.w:l.b], l.out)
		db := t.grads[l.b : l.b+l.out]
		j0 := sumRowsKernel32(db, g, rows)
		copy(db[j0:], g[j0:l.out])
		for r := 1; r < rows; r++ {
			for j, v := range g[r*l.out+j0 : (r+1)*l.out] {
				db[j0+j] += v
			}
		}
		if i > 0 {
			t.gemmNT(rows, l.in, l.out, g, l.out, p[l.w:l.b], l.out, t.deltas[i-1][:rows*l.in], l.in)
		}
	}
	if t.cfg.L2 > 0 {
		l2 := float32(t.cfg.L2)
		for _, l := range n.layers {
			gw, w := t.grads[l.w:l.b], p[l.w:l.b]
			for j, v := range w {
				gw[j] += l2 * v
			}
		}
	}
	return loss
}

// update is trainer.update in float32; the bias corrections are computed
// in float64 and rounded once.
func (t *trainer32) update() {
	p, g := t.params, t.grads
	c := &t.cfg
	if c.Optimizer == SGD {
		mom, lr := float32(c.Momentum), float32(c.LR)
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
	k := &t.adamK // in the trainer: a helper's job holds on to it
	*k = [7]float32{float32(b1), float32(1 - b1), float32(b2), float32(1 - b2), float32(step), float32(ibc2), float32(c.Eps)}
	done := t.adam(p, g, t.m, t.v, k)
	m, v := t.m[done:len(p)], t.v[done:len(p)]
	g = g[done:len(p)]
	p = p[done:]
	for i, gi := range g {
		mi := k[0]*m[i] + k[1]*gi
		vi := k[2]*v[i] + k[3]*(gi*gi)
		m[i], v[i] = mi, vi
		p[i] -= k[4] * mi / (float32(math.Sqrt(float64(vi)))*k[5] + k[6])
	}
}

// lossGrad32 is lossGrad on float32 logits; the loss is summed in float64.
func lossGrad32(h Head, z []float32, y []float64, k int, g []float32) float64 {
	rows := len(z) / k
	inv := 1 / float64(rows)
	loss := 0.0
	switch h {
	case Binary:
		for i, v32 := range z {
			v, t := float64(v32), y[i]
			loss += max(v, 0) - v*t + math.Log1p(math.Exp(-math.Abs(v)))
			g[i] = float32((sigmoid(v) - t) * inv)
		}
	case Softmax:
		for r := 0; r < rows; r++ {
			zr, gr := z[r*k:(r+1)*k], g[r*k:(r+1)*k]
			mx := float32(math.Inf(-1))
			for _, v := range zr {
				mx = max(mx, v)
			}
			s := 0.0
			for j, v := range zr {
				e := math.Exp(float64(v - mx))
				gr[j] = float32(e)
				s += e
			}
			c := int(y[r])
			loss += math.Log(s) - float64(zr[c]-mx)
			is := float32(inv / s)
			for j := range gr {
				gr[j] *= is
			}
			gr[c] -= float32(inv)
		}
	default:
		scale := 2 / float64(len(z))
		for i, v := range z {
			d := float64(v) - y[i]
			loss += d * d / float64(k)
			g[i] = float32(d * scale)
		}
	}
	return loss
}

// apply32 is Activation.apply in float32.
func apply32(a Activation, z, bias []float32) {
	n := len(bias)
	for i := 0; i+n <= len(z); i += n {
		row := z[i : i+n]
		switch a {
		case ReLU:
			for j, b := range bias {
				row[j] = max(row[j]+b, 0)
			}
		case LeakyReLU:
			for j, b := range bias {
				v := row[j] + b
				if v < 0 {
					v *= leakySlope
				}
				row[j] = v
			}
		case ELU:
			for j := applyKernel32(a, row, bias); j < n; j++ {
				v := row[j] + bias[j]
				if v < 0 {
					v = expm1Neg32(v)
				}
				row[j] = v
			}
		case Tanh:
			for j := applyKernel32(a, row, bias); j < n; j++ {
				row[j] = tanh32(row[j] + bias[j])
			}
		case Sigmoid:
			for j, b := range bias {
				row[j] = sigmoid32(row[j] + b)
			}
		default: // Linear
			for j, b := range bias {
				row[j] += b
			}
		}
	}
}

// backprop32 is Activation.backprop in float32.
func backprop32(a Activation, g, out []float32) {
	out = out[:len(g)]
	i0 := backpropKernel32(a, g, out)
	g, out = g[i0:], out[i0:]
	switch a {
	case ReLU:
		// A ReLU's output is +0, positive or NaN (Go's max(-0, 0) is +0), so
		// "v <= 0" is "v's bits are all zero": clear g there without a
		// branch, which half the units would mispredict.
		for i, v := range out {
			b := math.Float32bits(v)
			keep := -((b | -b) >> 31)
			g[i] = math.Float32frombits(math.Float32bits(g[i]) & keep)
		}
	case LeakyReLU:
		for i, v := range out {
			if v <= 0 {
				g[i] *= leakySlope
			}
		}
	case ELU:
		for i, v := range out {
			if v < 0 {
				g[i] *= v + 1
			}
		}
	case Tanh:
		for i, v := range out {
			g[i] *= 1 - float32(v*v) // not fused, in any build
		}
	case Sigmoid:
		for i, v := range out {
			g[i] *= v * (1 - v)
		}
	}
}

func transpose32(a []float32, rows, cols int, t []float32) { transposeBlocked(a, rows, cols, t) }
