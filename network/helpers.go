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
// minibatch step and, when it gets one, splits its larger matrix products
// between two goroutines by rows, in blocks of four, so that every number
// is computed exactly as without help: the results do not depend on
// whether, or how often, help came.
type Helpers interface {
	TryAcquire() bool
	Release()
}

// splitWork is the fewest multiply-adds a product must have to be split:
// below it, handing half over costs more than it saves.
const splitWork = 64 << 10

// helper is a goroutine that computes the second half of a split product.
// While a step holds a lent core it polls for work instead of sleeping,
// since waking a sleeping goroutine costs more than a small product. A job
// the helper has not picked up by the time the step's own half is done is
// taken back and computed by the step itself, so a helper that is slow to
// start (no free thread after all) costs nothing but the check.
type helper struct {
	wake  chan struct{} // a step has a core for the helper
	state atomic.Int32  // one of the helper states below
	job   gemmJob
}

// The helper's states.
const (
	helperIdle = iota // polling for a job
	helperPost        // a job is posted
	helperBusy        // the helper is computing the job
	helperRest        // the step is over: sleep until woken
)

type gemmJob struct {
	tA      bool
	m, n, k int
	a       []float32
	lda     int
	b       []float32
	ldb     int
	c       []float32
	ldc     int
}

func (j *gemmJob) run() {
	kernelGemm32(j.tA, j.m, j.n, j.k, j.a, j.lda, j.b, j.ldb, j.c, j.ldc)
	*j = gemmJob{}
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
				h.job.run()
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

// gemm is gemm32, with the rows split in two when a helper is on hand and
// the product is large enough. The split falls on a multiple of four rows,
// so that each row goes through the same kernel as without the split.
func (t *trainer32) gemm(tA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if !t.helping || m < 8 || m*n*k < splitWork {
		gemm32(tA, m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	h := (m / 2) &^ 3
	var a2 []float32
	if tA {
		a2 = a[h:]
	} else {
		a2 = a[h*lda:]
	}
	t.help.job = gemmJob{tA: tA, m: m - h, n: n, k: k, a: a2, lda: lda, b: b, ldb: ldb, c: c[h*ldc:], ldc: ldc}
	t.help.state.Store(helperPost)
	kernelGemm32(tA, h, n, k, a, lda, b, ldb, c, ldc)
	if t.help.state.CompareAndSwap(helperPost, helperIdle) {
		// Not picked up: do it here.
		t.help.job.run()
		return
	}
	for t.help.state.Load() == helperBusy {
	}
}
