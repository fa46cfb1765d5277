package network

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomData returns rows examples of in features and targets that suit head.
func randomData(rng *rand.Rand, rows, in, outputs int, head Head) Data {
	d := Data{N: rows, X: make([]float64, rows*in)}
	for i := range d.X {
		d.X[i] = rng.NormFloat64()
	}
	switch head {
	case Regression:
		d.Y = make([]float64, rows*outputs)
		for i := range d.Y {
			d.Y[i] = rng.NormFloat64()
		}
	default:
		k := max(outputs, 2)
		d.Y = make([]float64, rows)
		for i := range d.Y {
			d.Y[i] = float64(rng.IntN(k))
		}
	}
	return d
}

// TestGradientCheck compares backprop with central differences of the
// training loss for every activation and head, with L2 and dropout on.
func TestGradientCheck(t *testing.T) {
	heads := []struct {
		head    Head
		outputs int
	}{{Binary, 1}, {Softmax, 4}, {Regression, 2}}
	for _, h := range heads {
		for act := ReLU; act <= Linear; act++ {
			for _, dropout := range []float64{0, 0.3} {
				name := h.head.String() + "/" + act.String()
				if dropout > 0 {
					name += "/dropout"
				}
				t.Run(name, func(t *testing.T) {
					spec := Spec{Inputs: 3, Outputs: h.outputs, Head: h.head, Hidden: []Layer{
						{Units: 5, Activation: act, Dropout: dropout},
						{Units: 4, Activation: act},
					}}
					net, err := New(spec, 7)
					if err != nil {
						t.Fatal(err)
					}
					rng := rand.New(rand.NewPCG(1, 2))
					// Non-zero biases keep relu units off their kink at 0,
					// where rows whose inputs all dropped out would sit.
					for _, ly := range net.layers {
						for i := ly.b; i < ly.b+ly.out; i++ {
							net.params[i] = 0.1 * rng.NormFloat64()
						}
					}
					d := randomData(rng, 6, spec.Inputs, spec.Outputs, spec.Head)
					const l2 = 0.01
					tr := newTrainer(net, d.N, TrainConfig{Epochs: 1, Batch: d.N, L2: l2}.withDefaults())
					// loss re-seeds the dropout masks so that it is a
					// deterministic function of the weights.
					loss := func() float64 {
						tr.pcg = rand.NewPCG(3, 4)
						tr.rng = rand.New(tr.pcg)
						l := tr.forwardBackward(d.X, d.Y, d.N) / float64(d.N)
						for _, ly := range net.layers {
							for _, w := range net.params[ly.w:ly.b] {
								l += 0.5 * l2 * w * w
							}
						}
						return l
					}
					loss()
					analytic := append([]float64(nil), tr.grads...)
					numeric := make([]float64, len(analytic))
					const h = 1e-5
					for i := range net.params {
						orig := net.params[i]
						net.params[i] = orig + h
						up := loss()
						net.params[i] = orig - h
						down := loss()
						net.params[i] = orig
						numeric[i] = (up - down) / (2 * h)
					}
					var diff, norm float64
					for i := range analytic {
						diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i])
						norm += analytic[i]*analytic[i] + numeric[i]*numeric[i]
					}
					if norm == 0 {
						t.Fatal("all gradients are zero")
					}
					if rel := math.Sqrt(diff) / math.Sqrt(norm); rel > 1e-6 {
						t.Errorf("relative error %.3g between backprop and central differences", rel)
					}
				})
			}
		}
	}
}

// TestEvaluateMatchesTrainingLoss checks that the evaluation path and the
// training path compute the same loss when there is no dropout.
func TestEvaluateMatchesTrainingLoss(t *testing.T) {
	for _, h := range []Head{Binary, Softmax, Regression} {
		outputs := map[Head]int{Binary: 1, Softmax: 3, Regression: 1}[h]
		spec := Spec{Inputs: 4, Outputs: outputs, Head: h, Hidden: []Layer{{Units: 6, Activation: Tanh}}}
		net, _ := New(spec, 1)
		d := randomData(rand.New(rand.NewPCG(5, 6)), 300, 4, outputs, h)
		m, err := net.Evaluate(d)
		if err != nil {
			t.Fatal(err)
		}
		tr := newTrainer(net, d.N, TrainConfig{Epochs: 1, Batch: d.N}.withDefaults())
		want := tr.forwardBackward(d.X, d.Y, d.N) / float64(d.N)
		if math.Abs(m.Loss-want) > 1e-12*math.Max(1, want) {
			t.Errorf("%v: Evaluate loss %v, training loss %v", h, m.Loss, want)
		}
	}
}

func xorData() Data {
	return Data{N: 4, X: []float64{0, 0, 0, 1, 1, 0, 1, 1}, Y: []float64{0, 1, 1, 0}}
}

func TestXOR(t *testing.T) {
	net, err := New(Spec{Inputs: 2, Outputs: 1, Head: Binary, Hidden: []Layer{{Units: 4, Activation: Tanh}}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	d := xorData()
	res, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 500, Batch: 4, LR: 0.05, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Val.Accuracy != 1 {
		t.Fatalf("XOR accuracy %v after %d epochs (loss %v), want 1", res.Val.Accuracy, res.Epochs, res.Val.Loss)
	}
	p := net.Predict(d.X, 4, nil)
	for i, want := range d.Y {
		if (p[i] > 0.5) != (want == 1) {
			t.Errorf("XOR row %d: P(1) = %.3f, want class %v", i, p[i], want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	spec := Spec{Inputs: 5, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 8, Activation: ReLU, Dropout: 0.2}, {Units: 8, Activation: ELU}}}
	d := randomData(rand.New(rand.NewPCG(9, 9)), 97, 5, 3, Softmax)
	run := func(seed uint64) ([]float64, Result) {
		net, _ := New(spec, seed)
		res, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 5, Batch: 10, Seed: seed, L2: 1e-3})
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
}

func TestDivergence(t *testing.T) {
	d := randomData(rand.New(rand.NewPCG(1, 1)), 200, 6, 3, Softmax)
	for _, opt := range []Optimizer{Adam, SGD} {
		net, _ := New(Spec{Inputs: 6, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 16, Activation: ReLU}, {Units: 16, Activation: ReLU}}}, 1)
		_, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 20, Batch: 8, LR: 1e3, Optimizer: opt})
		var de *DivergedError
		if !errors.As(err, &de) || !errors.Is(err, ErrDiverged) {
			t.Errorf("%s with lr 1e3: err = %v, want a *DivergedError", opt, err)
		}
	}
}

// TestEarlyStoppingRestoresBest: patience stops training that many epochs
// after the lowest validation loss and leaves the net with that epoch's
// weights, in both precisions.
func TestEarlyStoppingRestoresBest(t *testing.T) {
	for _, prec := range []Precision{Float64, Float32} {
		t.Run(string(prec), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2, 2))
			train := randomData(rng, 60, 4, 2, Softmax) // random labels: validation loss soon rises
			val := randomData(rng, 60, 4, 2, Softmax)
			net, _ := New(Spec{Inputs: 4, Outputs: 2, Head: Softmax, Hidden: []Layer{{Units: 64, Activation: ReLU}}}, 1)
			var losses []float64
			var weights [][]float64
			res, err := net.Train(context.Background(), train, val, TrainConfig{Epochs: 200, Batch: 8, LR: 0.01, Patience: 3, Precision: prec,
				OnEpoch: func(s EpochStats) bool {
					losses = append(losses, s.Val.Loss)
					weights = append(weights, net.Weights())
					return false
				}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop != "patience" || res.Epochs != res.BestEpoch+3 {
				t.Fatalf("stop %q after %d epochs, best %d: want patience 3 after the best", res.Stop, res.Epochs, res.BestEpoch)
			}
			best := losses[res.BestEpoch-1]
			for _, l := range losses {
				if l < best {
					t.Errorf("best epoch %d has loss %v but %v was seen", res.BestEpoch, best, l)
				}
			}
			if !reflect.DeepEqual(net.Weights(), weights[res.BestEpoch-1]) {
				t.Errorf("the net does not hold the weights of its best epoch %d", res.BestEpoch)
			}
			if m, _ := net.Evaluate(val); m.Loss != best || !reflect.DeepEqual(res.Val, m) {
				t.Errorf("restored weights score %+v, result says %+v, best epoch scored loss %v", m, res.Val, best)
			}
		})
	}
}

func TestCallbackStops(t *testing.T) {
	d := xorData()
	net, _ := New(Spec{Inputs: 2, Outputs: 1, Head: Binary, Hidden: []Layer{{Units: 4, Activation: Tanh}}}, 1)
	res, err := net.Train(context.Background(), d, d, TrainConfig{Epochs: 100, Batch: 2,
		OnEpoch: func(s EpochStats) bool { return s.Epoch == 7 }})
	if err != nil || res.Epochs != 7 || res.Stop != "callback" || res.Samples != 28 {
		t.Errorf("got %+v, %v; want 7 epochs, 28 samples, stopped by callback", res, err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d := randomData(rand.New(rand.NewPCG(1, 1)), 100, 4, 2, Softmax)
	net, _ := New(Spec{Inputs: 4, Outputs: 2, Head: Softmax, Hidden: []Layer{{Units: 4, Activation: ReLU}}}, 1)
	res, err := net.Train(ctx, d, d, TrainConfig{Epochs: 1000000, Batch: 10,
		OnEpoch: func(s EpochStats) bool {
			if s.Epoch == 3 {
				cancel()
			}
			return false
		}})
	if !errors.Is(err, context.Canceled) || res.Epochs != 3 {
		t.Errorf("got %d epochs, %v; want 3 epochs and context.Canceled", res.Epochs, err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	net, _ := New(Spec{Inputs: 3, Outputs: 4, Head: Softmax, Hidden: []Layer{{Units: 5, Activation: ELU, Dropout: 0.1}, {Units: 2, Activation: Sigmoid}}}, 11)
	b, err := json.Marshal(net)
	if err != nil {
		t.Fatal(err)
	}
	var got Net
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Spec(), net.Spec()) || !reflect.DeepEqual(got.Weights(), net.Weights()) {
		t.Error("round trip changed the net")
	}
	bad := []string{
		`{"spec":{"inputs":3,"hidden":[],"outputs":4,"head":"softmax"},"weights":[1,2]}`,
		`{"spec":{"inputs":3,"hidden":[{"units":2,"activation":"relux"}],"outputs":4,"head":"softmax"},"weights":[]}`,
		`{"spec":{"inputs":0,"hidden":[],"outputs":4,"head":"softmax"},"weights":[]}`,
		`{"spec":{"inputs":1,"hidden":[],"outputs":2,"head":"nope"},"weights":[1,2,3,4]}`,
		`{"spec":`,
	}
	for _, s := range bad {
		var n Net
		if err := json.Unmarshal([]byte(s), &n); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", s)
		}
	}
}

// naiveGemm is the textbook product: op(a) (m x k) times b (k x n).
func naiveGemm(tA bool, m, n, k int, a []float64, lda int, b []float64, ldb int) []float64 {
	c := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for p := 0; p < k; p++ {
				var av float64
				if tA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				s += av * b[p*ldb+j]
			}
			c[i*n+j] = s
		}
	}
	return c
}

// TestGemm checks both paths, the micro-kernels (where the CPU has them)
// and gonum's Dgemm in serial tiles, against a naive product, over shapes
// that exercise every kernel and edge: row and column remainders, k blocks,
// transposed a, and accumulation into c.
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 3))
	type shape struct{ m, n, k int }
	var shapes []shape
	for _, m := range []int{1, 3, 4, 5, 9} {
		for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 19} {
			for _, k := range []int{1, 2, 7} {
				shapes = append(shapes, shape{m, n, k})
			}
		}
	}
	shapes = append(shapes, shape{300, 400, 20}, shape{200, 259, 33}, shape{65, 193, 300}, shape{37, 70, 600})
	saved := haveKernels
	defer func() { haveKernels = saved }()
	for _, kernels := range []bool{false, true} {
		if kernels && !saved {
			t.Log("no micro-kernels on this CPU")
			continue
		}
		haveKernels = kernels
		for _, sh := range shapes {
			for _, tA := range []bool{false, true} {
				for _, beta := range []float64{0, 1} {
					a := make([]float64, sh.m*sh.k)
					b := make([]float64, sh.k*sh.n)
					c := make([]float64, sh.m*sh.n)
					for _, v := range [][]float64{a, b, c} {
						for i := range v {
							v[i] = rng.NormFloat64()
						}
					}
					lda := sh.k
					if tA {
						lda = sh.m
					}
					want := naiveGemm(tA, sh.m, sh.n, sh.k, a, lda, b, sh.n)
					if beta == 1 {
						for i := range want {
							want[i] += c[i]
						}
					}
					gemm(newEvaluator(&Net{}, 1).impl, tA, sh.m, sh.n, sh.k, a, lda, b, sh.n, beta, c, sh.n)
					for i := range want {
						if math.Abs(c[i]-want[i]) > 1e-9*(1+math.Abs(want[i])) {
							t.Fatalf("kernels %v, tA %v, beta %v, %+v: c[%d] = %v, want %v", kernels, tA, beta, sh, i, c[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestAdamKernel checks the vectorized Adam update against the scalar one.
func TestAdamKernel(t *testing.T) {
	if !haveKernels {
		t.Skip("no micro-kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 39
	p, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range p {
		p[i], g[i], m[i], v[i] = rng.NormFloat64(), rng.NormFloat64(), 0.1*rng.NormFloat64(), rng.Float64()
	}
	wp, wm, wv := append([]float64(nil), p...), append([]float64(nil), m...), append([]float64(nil), v...)
	k := [7]float64{0.9, 0.1, 0.999, 0.001, 0.01, 3.2, 1e-8}
	done := adam(p, g, m, v, &k)
	if done != n&^3 {
		t.Fatalf("kernel updated %d parameters, want %d", done, n&^3)
	}
	for i := 0; i < done; i++ {
		wm[i] = k[0]*wm[i] + k[1]*g[i]
		wv[i] = k[2]*wv[i] + k[3]*g[i]*g[i]
		wp[i] -= k[4] * wm[i] / (math.Sqrt(wv[i])*k[5] + k[6])
		for _, c := range [][2]float64{{p[i], wp[i]}, {m[i], wm[i]}, {v[i], wv[i]}} {
			if math.Abs(c[0]-c[1]) > 1e-12 {
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

// TestSessionStagesEqualOneTraining runs a session in stages and checks it
// ends exactly like one Train, with and without early stopping.
func TestSessionStagesEqualOneTraining(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	train := randomData(rng, 90, 5, 3, Softmax)
	val := randomData(rng, 40, 5, 3, Softmax)
	spec := Spec{Inputs: 5, Outputs: 3, Head: Softmax, Hidden: []Layer{{Units: 12, Activation: ReLU, Dropout: 0.1}}}
	for _, patience := range []int{0, 2} {
		cfg := TrainConfig{Epochs: 12, Batch: 16, LR: 0.01, Seed: 5, Patience: patience}
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
			r, err := s.Run(context.Background(), e)
			if err != nil {
				t.Fatal(err)
			}
			if r.Epochs > e {
				t.Fatalf("Run(%d) ran %d epochs", e, r.Epochs)
			}
		}
		got := s.Finish()
		got.Seconds, got.StepSeconds, want.Seconds, want.StepSeconds = 0, 0, 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("patience %d: staged %+v, whole %+v", patience, got, want)
		}
		if !reflect.DeepEqual(staged.Weights(), whole.Weights()) {
			t.Errorf("patience %d: staged training ended with other weights", patience)
		}
	}
}

// TestEvaluateR2OneTarget: targets of one value leave no variance to
// explain, and R² is 0 whether or not their mean rounds (0.1 three times
// averages to 0.10000000000000002; the residuals over that rounding error
// gave an R² of -1e32, and a search a fitness of 1e32, on the validation
// split of a target that is mostly 0).
func TestEvaluateR2OneTarget(t *testing.T) {
	net, _ := New(Spec{Inputs: 2, Outputs: 1, Head: Regression, Hidden: []Layer{{Units: 3, Activation: Tanh}}}, 1)
	x := []float64{0.5, -1, 1, 2, -0.3, 0.7}
	for _, tc := range []struct {
		y      []float64
		wantR2 bool // a non-zero R²
	}{
		{[]float64{2, 2, 2}, false},
		{[]float64{0.1, 0.1, 0.1}, false},
		{[]float64{-0.1, -0.1, -0.1}, false},
		{[]float64{0.1, 0.2, 0.1}, true},
	} {
		m, err := net.Evaluate(Data{X: x, Y: tc.y, N: 3})
		if err != nil {
			t.Fatal(err)
		}
		if (m.R2 != 0) != tc.wantR2 || math.IsNaN(m.R2) || !(m.RMSE > 0) {
			t.Errorf("targets %v: R² %v, RMSE %v; want R² %s and an RMSE", tc.y, m.R2, m.RMSE, map[bool]string{false: "0", true: "non-zero"}[tc.wantR2])
		}
	}
}

// TestClassCounts: Evaluate counts each class's rows and those predicted
// right, as the argmax of Predict's probabilities (class 1's above 0.5 for
// a binary head), for a randomly initialised net.
func TestClassCounts(t *testing.T) {
	for _, tc := range []struct {
		head Head
		k    int // classes
	}{{Binary, 2}, {Softmax, 4}} {
		outputs := map[Head]int{Binary: 1, Softmax: 4}[tc.head]
		net, err := New(Spec{Inputs: 3, Hidden: []Layer{{Units: 5, Activation: Tanh}}, Head: tc.head, Outputs: outputs}, 7)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		const n = 200
		x, y := make([]float64, n*3), make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := range y {
			y[i] = float64(rng.IntN(tc.k - 1)) // the last class has no rows
		}
		m, err := net.Evaluate(Data{X: x, Y: y, N: n})
		if err != nil {
			t.Fatal(err)
		}
		rows, hits := make([]int, tc.k), make([]int, tc.k)
		p := net.Predict(x, n, nil)
		for i, c := range y {
			pred := 0
			if tc.head == Binary {
				if p[i] > 0.5 {
					pred = 1
				}
			} else {
				for j := range outputs {
					if p[i*outputs+j] > p[i*outputs+pred] {
						pred = j
					}
				}
			}
			rows[int(c)]++
			if pred == int(c) {
				hits[pred]++
			}
		}
		right := 0
		for _, h := range hits {
			right += h
		}
		if !slices.Equal(m.ClassRows, rows) || !slices.Equal(m.ClassHits, hits) || m.Accuracy != float64(right)/n {
			t.Errorf("%v head: rows %v hits %v accuracy %v, want %v %v %v", tc.head, m.ClassRows, m.ClassHits, m.Accuracy, rows, hits, float64(right)/n)
		}
	}
}
