package network

import (
	"runtime"
	"sync/atomic"
)

// Helpers lends a training the cores that would otherwise sit idle: a
// search's worker pool, say, at the end of a generation, when its last
// trainings run and the next generation cannot start before they finish.
// TryAcquire takes an idle core if there is one, without waiting; Release
// gives it back.
//
// A float32 training (on the AVX2 kernels) asks for one core per
// minibatch step and, when it gets one, splits its larger matrix products,
// activations and Adam update between two goroutines,
// on boundaries that leave every number computed exactly as without help:
// the results do not depend on whether, or how often, help came.
type Helpers interface {
	TryAcquire() bool
	Release()
}

// splitWork is the fewest multiply-adds a product must have to be split:
// below it, handing half over costs more than it saves.
const splitWork = 1 << 20

// helpWork is the fewest multiply-adds of a minibatch's forward pass for a
// training to ask for a core. Each step's loan costs a goroutine's wake-up
// and a handover per split piece: worth it for a large net's steps of
// several milliseconds, not for a small one's (mnist10k [128] in batches of
// 64, 6.5Mi, was 8% slower helped than alone).
const helpWork = 8 << 20

// helper is a goroutine that computes the second half of a split piece of
// a step (a job).
// While a step holds a lent core it polls for work instead of sleeping,
// since waking a sleeping goroutine costs more than a small product. A job
// the helper has not picked up by the time the step's own half is done is
// taken back and computed by the step itself, so a helper that is slow to
// start (no free thread after all) costs nothing but the check.
type helper struct {
	wake  chan struct{} // a step has a core for the helper
	state atomic.Int32  // one of the helper states below
	job   job
	pack  packT32 // gemmNTJob's panel
}

// The helper's states.
const (
	helperIdle = iota // polling for a job
	helperPost        // a job is posted
	helperBusy        // the helper is computing the job
	helperRest        // the step is over: sleep until woken
)

// A job is the helper's half of a split piece of a step: a product, an
// activation or the optimizer's update.
type job struct {
	kind    jobKind
	tA      bool
	m, n, k int
	a       []float32
	lda     int
	b       []float32
	ldb     int
	c       []float32
	ldc     int
	d       []float32
	act     Activation
	adam    *[7]float32
}

type jobKind uint8

const (
	gemmJob   jobKind = iota // c = a b, kernelGemm32's arguments
	gemmNTJob                // c = a bᵀ, kernelGemmNT32's arguments
	applyJob                 // act on the rows of c, bias b
	adamJob                  // Adam on parameters a, gradients b, moments c and d
)

func (h *helper) run() {
	j := &h.job
	switch j.kind {
	case gemmJob:
		kernelGemm32(j.tA, j.m, j.n, j.k, j.a, j.lda, j.b, j.ldb, j.c, j.ldc)
	case gemmNTJob:
		kernelGemmNT32(j.m, j.n, j.k, j.a, j.lda, j.b, j.ldb, j.c, j.ldc, &h.pack)
	case applyJob:
		apply32(j.act, j.c, j.b)
	case adamJob:
		adam32(j.a, j.b, j.c, j.d, j.adam)
	}
	*j = job{}
}

func newHelper() *helper {
	h := &helper{wake: make(chan struct{}, 1)}
	h.state.Store(helperRest)
	go h.loop()
	return h
}

func (h *helper) loop() {
	for range h.wake {
		for spins := 0; ; spins++ {
			st := h.state.Load()
			if st == helperRest {
				break
			}
			if st == helperPost && h.state.CompareAndSwap(helperPost, helperBusy) {
				h.run()
				h.state.Store(helperIdle)
				spins = 0
				continue
			}
			if spins%64 == 63 {
				runtime.Gosched()
			}
		}
	}
}

// stepTimes keeps moving averages of how long a step's forward and
// backward pass takes with a lent core and without. On a machine busier
// than the pool knows (other processes on the cores), the helper's thread
// may wait for the CPU while the step waits for it, and a helped step is
// slower than one alone: the training then stops asking, except for one
// step in probeEvery to notice when help pays again.
type stepTimes struct {
	helped, alone float64 // seconds, exponential moving averages; 0 = no sample yet
	steps         int
}

const probeEvery = 32

func (s *stepTimes) add(helped bool, d float64) {
	avg := &s.alone
	if helped {
		avg = &s.helped
	}
	if *avg == 0 {
		*avg = d
	} else {
		*avg += (d - *avg) / 8
	}
}

// wantHelp says whether the next step should ask for a core.
func (s *stepTimes) wantHelp() bool {
	s.steps++
	if s.steps%probeEvery == 0 {
		// Probe the other way: alone if help is the habit, and the reverse.
		return s.helped == 0 || s.alone != 0 && s.helped > s.alone
	}
	return s.helped == 0 || s.alone == 0 || s.helped < s.alone
}

// beginStep asks for a lent core for the coming step.
func (t *trainer32) beginStep() {
	if t.cfg.Helpers == nil || !t.splittable || !kernels32InUse() || !t.times.wantHelp() || !t.cfg.Helpers.TryAcquire() {
		return
	}
	if t.help == nil {
		t.help = newHelper()
	}
	t.helping = true
	t.help.state.Store(helperIdle)
	select {
	case t.help.wake <- struct{}{}:
	default: // a wake is pending already
	}
}

// endStep gives the lent core back.
func (t *trainer32) endStep() {
	if !t.helping {
		return
	}
	t.help.state.Store(helperRest)
	t.helping = false
	t.cfg.Helpers.Release()
}

// stopHelper ends the helper goroutine, between steps.
func (t *trainer32) stopHelper() {
	if t.help != nil {
		close(t.help.wake)
		t.help = nil
	}
}

// post hands j to the helper; join waits for it, or runs it here if the
// helper has not picked it up (a helper slow to start costs nothing but
// the check).
func (t *trainer32) post(j job) {
	t.help.job = j
	t.help.state.Store(helperPost)
}

func (t *trainer32) join() {
	if t.help.state.CompareAndSwap(helperPost, helperIdle) {
		t.help.run()
		return
	}
	for t.help.state.Load() == helperBusy {
	}
}

// gemm is gemm32, split in two when a helper is on hand and the product is
// large enough. A product of many rows is split by rows, on a multiple of
// eight; one of few rows (a minibatch's forward pass or input gradient,
// whose cost is in streaming b) by columns, on a multiple of 32, so that
// each core reads half of b. Both are multiples of the kernels' largest
// blocks, and either way every element of c is the same sum, over the same
// blocks of k in the same order, as without the split.
func (t *trainer32) gemm(tA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if !t.helping || m*n*k < splitWork || m < 8 && n < 32 {
		gemm32(tA, m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	if m >= n || n < 32 {
		h := (m / 2) &^ 7
		a2 := a[h:]
		if !tA {
			a2 = a[h*lda:]
		}
		t.post(job{kind: gemmJob, tA: tA, m: m - h, n: n, k: k, a: a2, lda: lda, b: b, ldb: ldb, c: c[h*ldc:], ldc: ldc})
		m = h
	} else {
		h := (n / 2) &^ 31
		t.post(job{kind: gemmJob, tA: tA, m: m, n: n - h, k: k, a: a, lda: lda, b: b[h:], ldb: ldb, c: c[h:], ldc: ldc})
		n = h
	}
	kernelGemm32(tA, m, n, k, a, lda, b, ldb, c, ldc)
	t.join()
}

// gemmNT computes c = a * wᵀ (a m x k, w n x k, c m x n): with the
// float32 kernels from w itself (kernelGemmNT32), its columns split in two
// when a helper is on hand, as gemm splits a product of few rows; else
// through the transpose of w, in t.wt.
func (t *trainer32) gemmNT(m, n, k int, a []float32, lda int, w []float32, ldw int, c []float32, ldc int) {
	if !kernels32InUse() {
		if len(t.wt) < n*k {
			t.wt = make([]float32, n*k) // (newTrainer32 sizes it when it knows)
		}
		wt := t.wt[:n*k]
		transpose32(w, n, k, wt)
		gemm32(false, m, n, k, a, lda, wt, n, c, ldc)
		return
	}
	if !t.helping || m*n*k < splitWork || n < 32 {
		kernelGemmNT32(m, n, k, a, lda, w, ldw, c, ldc, &t.pack)
		return
	}
	h := (n / 2) &^ 31
	t.post(job{kind: gemmNTJob, m: m, n: n - h, k: k, a: a, lda: lda, b: w[h*ldw:], ldb: ldw, c: c[h:], ldc: ldc})
	kernelGemmNT32(m, h, k, a, lda, w, ldw, c, ldc, &t.pack)
	t.join()
}

// splitElems is the fewest elements an activation or an update must touch
// to be split.
const splitElems = 8 << 10

// apply is apply32, its rows split in two when a helper is on hand.
func (t *trainer32) apply(act Activation, z, bias []float32) {
	rows := len(z) / max(len(bias), 1)
	if !t.helping || len(z) < splitElems || rows < 2 || act == Linear {
		apply32(act, z, bias)
		return
	}
	h := rows / 2 * len(bias)
	t.post(job{kind: applyJob, act: act, c: z[h:], b: bias})
	apply32(act, z[:h], bias)
	t.join()
}

// adam is adam32, its parameters split in two, on a multiple of eight,
// when a helper is on hand. It returns how many parameters it updated.
func (t *trainer32) adam(p, g, m, v []float32, c *[7]float32) int {
	n := len(p) &^ 7
	if !t.helping || n < splitElems || !haveKernels32 {
		return adam32(p, g, m, v, c)
	}
	h := (n / 2) &^ 7
	t.post(job{kind: adamJob, a: p[h:n], b: g[h:n], c: m[h:n], d: v[h:n], adam: c})
	adam32(p[:h], g[:h], m[:h], v[:h], c)
	t.join()
	return n
}
