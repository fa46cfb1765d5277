package network

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
)

// withoutKernels32 runs f with the float32 micro-kernels off, on the
// pure-Go path of a CPU without AVX2.
func withoutKernels32(f func()) {
	saved := haveKernels32
	haveKernels32 = false
	defer func() { haveKernels32 = saved }()
	f()
}

func TestGemm32(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	shapes := [][3]int{{1, 1, 1}, {3, 7, 5}, {4, 16, 9}, {5, 17, 3}, {8, 24, 300}, {13, 31, 64}, {64, 128, 784}, {7, 10, 0}}
	for _, sh := range shapes {
		for _, tA := range []bool{false, true} {
			m, n, k := sh[0], sh[1], sh[2]
			lda := k + 2
			if tA {
				lda = m + 3
			}
			ldb, ldc := n+1, n+5
			arows := m
			if tA {
				arows = k
			}
			a := make([]float32, max(arows*lda, 1))
			b := make([]float32, max(k*ldb, 1))
			for i := range a {
				a[i] = float32(rng.NormFloat64())
			}
			for i := range b {
				b[i] = float32(rng.NormFloat64())
			}
			a64, b64 := make([]float64, len(a)), make([]float64, len(b))
			for i, v := range a {
				a64[i] = float64(v)
			}
			for i, v := range b {
				b64[i] = float64(v)
			}
			want := naiveGemm(tA, m, n, k, a64, lda, b64, ldb)
			check := func(path string) {
				c := make([]float32, m*ldc)
				for i := range c {
					c[i] = 99 // overwritten, not accumulated; the padding stays
				}
				gemm32(tA, m, n, k, a, lda, b, ldb, c, ldc)
				for i := 0; i < m; i++ {
					for j := 0; j < ldc; j++ {
						got := float64(c[i*ldc+j])
						if j >= n {
							if got != 99 {
								t.Fatalf("%s %v tA=%v: wrote padding c[%d][%d]", path, sh, tA, i, j)
							}
							continue
						}
						if w := want[i*n+j]; math.Abs(got-w) > 1e-5*math.Sqrt(float64(k)+1)*(1+math.Abs(w)) {
							t.Fatalf("%s %v tA=%v: c[%d][%d] = %v, want %v", path, sh, tA, i, j, got, w)
						}
					}
				}
			}
			if haveKernels32 {
				check("kernels")
			}
			withoutKernels32(func() { check("pure Go") })
		}
	}
}

func TestAdamKernel32(t *testing.T) {
	if !haveKernels32 {
		t.Skip("no micro-kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 43
	p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range p {
		p[i], g[i], m[i], v[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(0.1*rng.NormFloat64()), float32(rng.Float64())
	}
	wp, wm, wv := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
	k := [7]float32{0.9, 0.1, 0.999, 0.001, 0.01, 3.2, 1e-8}
	done := adam32(p, g, m, v, &k)
	if done != n&^7 {
		t.Fatalf("kernel updated %d parameters, want %d", done, n&^7)
	}
	for i := 0; i < done; i++ {
		wm[i] = k[0]*wm[i] + k[1]*g[i]
		wv[i] = k[2]*wv[i] + k[3]*g[i]*g[i]
		wp[i] -= k[4] * wm[i] / (float32(math.Sqrt(float64(wv[i])))*k[5] + k[6])
		for _, c := range [][2]float32{{p[i], wp[i]}, {m[i], wm[i]}, {v[i], wv[i]}} {
			if d := math.Abs(float64(c[0] - c[1])); d > 1e-6*(1+math.Abs(float64(c[1]))) {
				t.Fatalf("parameter %d: kernel %v, scalar %v", i, c[0], c[1])
			}
		}
	}
	for i := done; i < n; i++ {
		if p[i] != wp[i] {
			t.Fatalf("kernel touched parameter %d beyond its range", i)
		}
	}
}

// TestGradientCheck32 checks the float32 backward pass against central
// differences of the float64 loss at the same (float32-rounded) weights
// and the same dropout masks, for every head and activation, on both the
// kernel and the pure-Go path.
func TestGradientCheck32(t *testing.T) {
	heads := []struct {
		head    Head
		outputs int
	}{{Binary, 1}, {Softmax, 4}, {Regression, 2}}
	paths := []struct {
		name string
		run  func(func())
	}{{"kernels", func(f func()) { f() }}, {"purego", withoutKernels32}}
	for _, path := range paths {
		for _, h := range heads {
			for act := ReLU; act <= Linear; act++ {
				for _, dropout := range []float64{0, 0.3} {
					name := path.name + "/" + h.head.String() + "/" + act.String()
					if dropout > 0 {
						name += "/dropout"
					}
					t.Run(name, func(t *testing.T) {
						path.run(func() { gradientCheck32(t, h.head, h.outputs, act, dropout) })
					})
				}
			}
		}
	}
}

func gradientCheck32(t *testing.T, head Head, outputs int, act Activation, dropout float64) {
	spec := Spec{Inputs: 3, Outputs: outputs, Head: head, Hidden: []Layer{
		{Units: 5, Activation: act, Dropout: dropout},
		{Units: 4, Activation: act},
	}}
	net, err := New(spec, 7)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ly := range net.layers {
		for i := ly.b; i < ly.b+ly.out; i++ {
			net.params[i] = 0.1 * rng.NormFloat64()
		}
	}
	// Both precisions work at weights that float32 holds exactly.
	for i, v := range net.params {
		net.params[i] = float64(float32(v))
	}
	d := randomData(rng, 6, spec.Inputs, spec.Outputs, spec.Head)
	for i, v := range d.X {
		d.X[i] = float64(float32(v))
	}
	const l2 = 0.01
	cfg := TrainConfig{Epochs: 1, Batch: d.N, L2: l2}.withDefaults()
	t32 := newTrainer32(net, d.N, cfg)
	t32.pcg = rand.NewPCG(3, 4)
	t32.rng = rand.New(t32.pcg)
	t32.forwardBackward(t32.inputs(d), d.Y, d.N)

	t64 := newTrainer(net, d.N, cfg)
	loss := func() float64 {
		t64.pcg = rand.NewPCG(3, 4)
		t64.rng = rand.New(t64.pcg)
		l := t64.forwardBackward(d.X, d.Y, d.N) / float64(d.N)
		for _, ly := range net.layers {
			for _, w := range net.params[ly.w:ly.b] {
				l += 0.5 * l2 * w * w
			}
		}
		return l
	}
	var diff, norm float64
	const h = 1e-5
	for i := range net.params {
		orig := net.params[i]
		net.params[i] = orig + h
		up := loss()
		net.params[i] = orig - h
		down := loss()
		net.params[i] = orig
		numeric, analytic := (up-down)/(2*h), float64(t32.grads[i])
		diff += (analytic - numeric) * (analytic - numeric)
		norm += analytic*analytic + numeric*numeric
	}
	if norm == 0 {
		t.Fatal("all gradients are zero")
	}
	// float32 carries about 7 digits; a wrong backward pass is off by
	// order one.
	if rel := math.Sqrt(diff) / math.Sqrt(norm); rel > 1e-5 {
		t.Errorf("relative error %.3g between float32 backprop and float64 central differences", rel)
	}
}

func TestDeterministic32(t *testing.T) {
	spec := Spec{Inputs: 5, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 20, Activation: ReLU, Dropout: 0.2}, {Units: 9, Activation: ELU}}}
	d := randomData(rand.New(rand.NewPCG(9, 9)), 97, 5, 3, Softmax)
	run := func(seed uint64) ([]float64, Result) {
		net, _ := New(spec, seed)
		res, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 5, Batch: 10, Seed: seed, L2: 1e-3, Precision: Float32})
		if err != nil {
			t.Fatal(err)
		}
		return net.Weights(), res
	}
	w1, r1 := run(3)
	w2, r2 := run(3)
	if !reflect.DeepEqual(w1, w2) {
		t.Error("same seed gave different weights")
	}
	r1.Seconds, r2.Seconds, r1.StepSeconds, r2.StepSeconds = 0, 0, 0, 0
	if !reflect.DeepEqual(r1, r2) {
		t.Errorf("same seed gave different results:\n%+v\n%+v", r1, r2)
	}
	if w3, _ := run(4); reflect.DeepEqual(w1, w3) {
		t.Error("different seeds gave the same weights")
	}
	for i, v := range w1 {
		if float64(float32(v)) != v {
			t.Fatalf("weight %d = %v is not a float32 value", i, v)
		}
	}
	// The float64 training of the same seed sees the same minibatches and
	// masks: its weights differ by rounding only.
	net, _ := New(spec, 3)
	if _, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 5, Batch: 10, Seed: 3, L2: 1e-3}); err != nil {
		t.Fatal(err)
	}
	w64 := net.Weights()
	if reflect.DeepEqual(w1, w64) {
		t.Error("float32 and float64 trainings gave identical weights")
	}
	for i := range w64 {
		if math.Abs(w1[i]-w64[i]) > 1e-3*(1+math.Abs(w64[i])) {
			t.Errorf("weight %d: float32 %v, float64 %v", i, w1[i], w64[i])
		}
	}
}

// TestPureGo32 trains with and without the micro-kernels: the summation
// order differs, so the weights differ by rounding only.
func TestPureGo32(t *testing.T) {
	if !haveKernels32 {
		t.Skip("no micro-kernels on this CPU")
	}
	spec := Spec{Inputs: 11, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 37, Activation: Tanh}, {Units: 19, Activation: ReLU}}}
	d := randomData(rand.New(rand.NewPCG(2, 9)), 120, 11, 3, Softmax)
	cfg := TrainConfig{Epochs: 3, Batch: 16, Seed: 1, Precision: Float32}
	kern, _ := New(spec, 1)
	if _, err := kern.Train(context.Background(), d, d, cfg); err != nil {
		t.Fatal(err)
	}
	pure, _ := New(spec, 1)
	withoutKernels32(func() {
		if _, err := pure.Train(context.Background(), d, d, cfg); err != nil {
			t.Fatal(err)
		}
	})
	wk, wp := kern.Weights(), pure.Weights()
	for i := range wk {
		if math.Abs(wk[i]-wp[i]) > 1e-4*(1+math.Abs(wk[i])) {
			t.Fatalf("weight %d: kernels %v, pure Go %v", i, wk[i], wp[i])
		}
	}
}

func TestSessionStagesEqualOneTraining32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	train := randomData(rng, 90, 5, 3, Softmax)
	val := randomData(rng, 40, 5, 3, Softmax)
	spec := Spec{Inputs: 5, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 12, Activation: ReLU, Dropout: 0.1}}}
	for _, opt := range []Optimizer{Adam, SGD} {
		cfg := TrainConfig{Epochs: 12, Batch: 16, LR: 0.01, Seed: 5, Patience: 2, Optimizer: opt, Momentum: 0.9, Precision: Float32}
		whole, _ := New(spec, 1)
		want, err := whole.Train(context.Background(), train, val, cfg)
		if err != nil {
			t.Fatal(err)
		}
		staged, _ := New(spec, 1)
		s, err := staged.NewSession(train, val, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []int{1, 3, 9, 100} {
			if _, err := s.Run(context.Background(), e); err != nil {
				t.Fatal(err)
			}
		}
		got := s.Finish()
		got.Seconds, got.StepSeconds, want.Seconds, want.StepSeconds = 0, 0, 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: staged %+v, whole %+v", opt, got, want)
		}
		if !reflect.DeepEqual(staged.Weights(), whole.Weights()) {
			t.Errorf("%s: staged training ended with other weights", opt)
		}
	}
}

func TestDivergence32(t *testing.T) {
	d := randomData(rand.New(rand.NewPCG(1, 1)), 200, 6, 3, Softmax)
	for _, opt := range []Optimizer{Adam, SGD} {
		net, _ := New(Spec{Inputs: 6, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 16, Activation: ReLU}, {Units: 16, Activation: ReLU}}}, 1)
		_, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 20, Batch: 8, LR: 1e3, Optimizer: opt, Precision: Float32})
		var de *DivergedError
		if !errors.As(err, &de) {
			t.Errorf("%s with lr 1e3: err = %v, want a *DivergedError", opt, err)
		}
	}
}

func TestPrecisionValidation(t *testing.T) {
	if err := CheckConfig(TrainConfig{Epochs: 1, Batch: 1, Precision: "float16"}); err == nil {
		t.Error("precision float16 accepted")
	}
	for _, p := range []Precision{"", Float32, Float64} {
		if err := CheckConfig(TrainConfig{Epochs: 1, Batch: 1, Precision: p}); err != nil {
			t.Errorf("precision %q: %v", p, err)
		}
	}
	if _, err := ParsePrecision("double"); err == nil {
		t.Error(`ParsePrecision("double") succeeded`)
	}
}

// lender lends up to n cores and counts the loans.
type lender struct {
	sem   chan struct{}
	loans atomic.Int64
}

func (l *lender) TryAcquire() bool {
	select {
	case l.sem <- struct{}{}:
		l.loans.Add(1)
		return true
	default:
		return false
	}
}

func (l *lender) Release() { <-l.sem }

// TestHelpersSameResult: a training that borrows a core for its products
// ends with the very weights of one that does not.
func TestHelpersSameResult(t *testing.T) {
	if !kernels32InUse() {
		t.Skip("no float32 micro-kernels in use")
	}
	// 37 x (70 x 600 + 600 x 450 + 450 x 5) multiply-adds a forward pass,
	// above helpWork; its larger products are split.
	spec := Spec{Inputs: 70, Outputs: 5, Head: Softmax, Hidden: []Layer{{Units: 600, Activation: ReLU, Dropout: 0.1}, {Units: 450, Activation: Tanh}}}
	d := randomData(rand.New(rand.NewPCG(4, 2)), 300, 70, 5, Softmax)
	cfg := TrainConfig{Epochs: 3, Batch: 37, Seed: 2, Precision: Float32}
	alone, _ := New(spec, 1)
	want, err := alone.Train(context.Background(), d, d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	helped, _ := New(spec, 1)
	l := &lender{sem: make(chan struct{}, 1)}
	cfg.Helpers = l
	got, err := helped.Train(context.Background(), d, d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if l.loans.Load() == 0 {
		t.Fatal("no core was borrowed")
	}
	if len(l.sem) != 0 {
		t.Errorf("%d cores not given back", len(l.sem))
	}
	if !reflect.DeepEqual(alone.Weights(), helped.Weights()) {
		t.Error("weights differ with a borrowed core")
	}
	got.Seconds, got.StepSeconds, want.Seconds, want.StepSeconds = 0, 0, 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with a borrowed core %+v, alone %+v", got, want)
	}
}

// TestSplitsSameResult: each piece of a step a helper takes half of (a
// product split by rows or by columns, a product with a transposed weight
// matrix, an activation, Adam's update) gives the very numbers the piece gives in one goroutine, on
// shapes whose sizes are not multiples of the split's blocks.
func TestSplitsSameResult(t *testing.T) {
	if !kernels32InUse() {
		t.Skip("no float32 micro-kernels in use")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	tr := &trainer32{help: newHelper(), helping: true}
	defer tr.stopHelper()
	tr.help.state.Store(helperIdle)
	tr.help.wake <- struct{}{}
	defer tr.help.state.Store(helperRest)
	same := func(what string, got, want []float32) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: split differs from whole", what)
		}
	}
	for _, sh := range []struct {
		tA      bool
		m, n, k int
	}{
		{false, 37, 217, 300},   // few rows: split by columns
		{false, 4, 809, 1012},   // a last minibatch of 4 rows
		{false, 33, 1001, 70},   // n not a multiple of 16 or 8
		{true, 300, 217, 37},    // a weight gradient: rows
		{true, 1013, 809, 33},   // rows not a multiple of 4
		{true, 70, 600, 37},     // a first layer's weight gradient: columns
		{false, 500, 40, 300},   // many rows: rows
		{false, 9, 31, 1 << 17}, // few of both: rows
	} {
		a, b := fill(sh.m*sh.k), fill(sh.k*sh.n)
		lda := sh.k
		if sh.tA {
			lda = sh.m
		}
		want, got := fill(sh.m*sh.n), make([]float32, sh.m*sh.n)
		copy(got, want) // the kernels overwrite c
		gemm32(sh.tA, sh.m, sh.n, sh.k, a, lda, b, sh.n, want, sh.n)
		tr.gemm(sh.tA, sh.m, sh.n, sh.k, a, lda, b, sh.n, got, sh.n)
		same(fmt.Sprintf("gemm tA=%v %dx%dx%d", sh.tA, sh.m, sh.n, sh.k), got, want)
	}
	for _, sh := range []struct{ m, n, k int }{
		{32, 1012, 809}, // the wide net's input gradient: split by columns
		{37, 600, 450},
		{4, 300, 217},  // a last minibatch of 4 rows
		{33, 1001, 70}, // n not a multiple of 16 or 8
		{9, 31, 600},   // too narrow to split
		{5, 45, 1},
	} {
		a, w := fill(sh.m*sh.k), fill(sh.n*sh.k)
		wt := make([]float32, len(w))
		transpose32(w, sh.n, sh.k, wt)
		want, got, whole := make([]float32, sh.m*sh.n), make([]float32, sh.m*sh.n), make([]float32, sh.m*sh.n)
		kernelGemm32(false, sh.m, sh.n, sh.k, a, sh.k, wt, sh.n, want, sh.n)
		kernelGemmNT32(sh.m, sh.n, sh.k, a, sh.k, w, sh.k, whole, sh.n, &tr.pack)
		same(fmt.Sprintf("a wᵀ from w, %dx%dx%d", sh.m, sh.n, sh.k), whole, want)
		tr.gemmNT(sh.m, sh.n, sh.k, a, sh.k, w, sh.k, got, sh.n)
		same(fmt.Sprintf("a wᵀ split, %dx%dx%d", sh.m, sh.n, sh.k), got, want)
	}
	for _, act := range []Activation{ReLU, LeakyReLU, ELU, Tanh, Sigmoid} {
		bias, z := fill(301), fill(37*301)
		want := slices.Clone(z)
		apply32(act, want, bias)
		tr.apply(act, z, bias)
		same(fmt.Sprint("apply ", act), z, want)
	}
	n := 70*300 + 300*217 + 5
	p, g, m, v := fill(n), fill(n), fill(n), fill(n)
	for i := range v {
		v[i] *= v[i]
	}
	c := [7]float32{0.9, 0.1, 0.999, 0.001, 1e-3, 1.2, 1e-8}
	p2, m2, v2 := slices.Clone(p), slices.Clone(m), slices.Clone(v)
	if done, done2 := adam32(p, g, m, v, &c), tr.adam(p2, g, m2, v2, &c); done != done2 {
		t.Fatalf("adam: split updated %d parameters, whole %d", done2, done)
	}
	same("adam parameters", p2, p)
	same("adam moments", append(m2, v2...), append(m, v...))
}

// TestStepTimes: a training stops asking for cores when helped steps are
// slower than lone ones, and keeps probing.
func TestStepTimes(t *testing.T) {
	var s stepTimes
	if !s.wantHelp() {
		t.Fatal("no help asked before any step was timed")
	}
	s.add(true, 2e-3)
	s.add(false, 1e-3)
	asked := 0
	for range 4 * probeEvery {
		if s.wantHelp() {
			asked++
		}
	}
	if asked != 4 {
		t.Errorf("helped steps twice as slow: help asked %d times in %d steps, want 4 probes", asked, 4*probeEvery)
	}
	for range 10 {
		s.add(true, 1e-4)
	}
	asked = 0
	for range 4 * probeEvery {
		if s.wantHelp() {
			asked++
		}
	}
	if asked != 4*probeEvery-4 {
		t.Errorf("helped steps faster: help asked %d times in %d steps, want all but 4 probes", asked, 4*probeEvery)
	}
}

// TestSchedule32: the float32 trainer follows the cosine schedule: a cosine
// training matches a constant one in its first epoch and departs from it
// after, staying within rounding of the float64 cosine training.
func TestSchedule32(t *testing.T) {
	spec := Spec{Inputs: 6, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 12, Activation: Tanh}}}
	d := randomData(rand.New(rand.NewPCG(6, 1)), 80, 6, 3, Softmax)
	train := func(epochs int, s Schedule, p Precision) []float64 {
		net, _ := New(spec, 1)
		if _, err := net.Train(context.Background(), d, Data{}, TrainConfig{Epochs: epochs, Batch: 16, LR: 0.05, Seed: 1, Schedule: s, Precision: p}); err != nil {
			t.Fatal(err)
		}
		return net.Weights()
	}
	// One epoch of a 1-epoch cosine schedule runs at LR, as a constant one.
	if !reflect.DeepEqual(train(1, Cosine, Float32), train(1, Const, Float32)) {
		t.Error("first epoch of cosine differs from constant")
	}
	cos32, const32, cos64 := train(6, Cosine, Float32), train(6, Const, Float32), train(6, Cosine, Float64)
	if reflect.DeepEqual(cos32, const32) {
		t.Error("float32: cosine and constant schedules gave the same weights")
	}
	for i := range cos32 {
		if math.Abs(cos32[i]-cos64[i]) > 1e-3*(1+math.Abs(cos64[i])) {
			t.Fatalf("weight %d: float32 cosine %v, float64 cosine %v", i, cos32[i], cos64[i])
		}
	}
}

// TestStep32NoAllocs: a float32 step allocates nothing, alone or with a
// lent core (the loop's promise; an escaping local once cost one
// allocation per step).
func TestStep32NoAllocs(t *testing.T) {
	if !kernels32InUse() {
		t.Skip("no float32 micro-kernels in use")
	}
	spec := Spec{Inputs: 70, Outputs: 5, Head: Softmax, Hidden: []Layer{{Units: 600, Activation: Tanh, Dropout: 0.1}, {Units: 450, Activation: ReLU}}}
	for _, helped := range []bool{false, true} {
		net, _ := New(spec, 1)
		d := randomData(rand.New(rand.NewPCG(1, 1)), 37, 70, 5, Softmax)
		cfg := TrainConfig{Epochs: 1, Batch: 37, Precision: Float32}
		l := &lender{sem: make(chan struct{}, 1)}
		if helped {
			cfg.Helpers = l
		}
		tr := newTrainer32(net, 37, cfg.withDefaults())
		x := tr.inputs(d)
		tr.step(x, d.Y, 37) // the helper's goroutine starts at the first loan
		if n := testing.AllocsPerRun(50, func() { tr.step(x, d.Y, 37) }); n != 0 {
			t.Errorf("helped %v: %v allocations per step, want 0", helped, n)
		}
		if helped && l.loans.Load() == 0 {
			t.Error("no core was borrowed")
		}
		tr.stopHelper()
	}
}

// TestDropBelow: comparing a number's low 53 bits with dropBelow(p) drops
// exactly the units that rand.Rand.Float64() < p drops, the draw it
// replaces, at random numbers and at those next to each threshold.
func TestDropBelow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	ps := []float64{1e-9, 0.01, 0.1, 0.243, 1.0 / 3, 0.5, 0.5 - 1e-17, 0.75, math.Nextafter(1, 0)}
	for range 200 {
		ps = append(ps, rng.Float64())
	}
	for _, p := range ps {
		th := dropBelow(p)
		us := []uint64{th - 1, th, th + 1, th<<11 | 0x7ff, 0, 1<<53 - 1}
		for range 2000 {
			us = append(us, rng.Uint64())
		}
		for _, u := range us {
			want := float64(u<<11>>11)/(1<<53) < p
			if got := u&(1<<53-1) < th; got != want {
				t.Fatalf("p %v, u %#x: dropped %v, Float64 says %v", p, u, got, want)
			}
		}
	}
}

// TestDropoutMasks: the branch-free dropout writes what a branch on each
// draw writes, bit for bit (a dropped unit +0 even when its output is
// negative, infinite or NaN), in both precisions, and leaves the source
// where the draws end.
func TestDropoutMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 5))
	a := make([]float64, 999)
	for i := range a {
		a[i] = rng.NormFloat64() * 3
	}
	copy(a, []float64{math.Inf(1), math.Inf(-1), math.NaN(), math.Copysign(0, -1), -1e300})
	a32 := make([]float32, len(a))
	for i, v := range a {
		a32[i] = float32(v)
	}
	for _, p := range []float64{0.01, 0.243, 0.5, 0.9} {
		want, wantM := make([]float64, len(a)), make([]float64, len(a))
		want32, wantM32 := make([]float32, len(a)), make([]float32, len(a))
		ref := rand.NewPCG(7, uint64(p*1000))
		keep, drop := 1/(1-p), dropBelow(p)
		for j, v := range a {
			if ref.Uint64()&(1<<53-1) < drop {
				want[j], wantM[j], want32[j], wantM32[j] = 0, 0, 0, 0
			} else {
				want[j], wantM[j] = v*keep, keep
				want32[j], wantM32[j] = a32[j]*float32(keep), float32(keep)
			}
		}
		next := ref.Uint64()
		bits64 := func(x []float64) (b []uint64) {
			for _, v := range x {
				b = append(b, math.Float64bits(v))
			}
			return b
		}
		bits32 := func(x []float32) (b []uint32) {
			for _, v := range x {
				b = append(b, math.Float32bits(v))
			}
			return b
		}
		src := rand.NewPCG(7, uint64(p*1000))
		d, m := make([]float64, len(a)), make([]float64, len(a))
		dropout(src, p, a, d, m)
		if !slices.Equal(bits64(d), bits64(want)) || !slices.Equal(bits64(m), bits64(wantM)) {
			t.Errorf("p %v: float64 dropout differs from a branch per draw", p)
		}
		if src.Uint64() != next {
			t.Errorf("p %v: float64 dropout drew a different count", p)
		}
		src = rand.NewPCG(7, uint64(p*1000))
		d32, m32 := make([]float32, len(a)), make([]float32, len(a))
		dropout32(src, p, a32, d32, m32)
		if !slices.Equal(bits32(d32), bits32(want32)) || !slices.Equal(bits32(m32), bits32(wantM32)) {
			t.Errorf("p %v: float32 dropout differs from a branch per draw", p)
		}
		if src.Uint64() != next {
			t.Errorf("p %v: float32 dropout drew a different count", p)
		}
	}
}
