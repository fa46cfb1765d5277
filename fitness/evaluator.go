package fitness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/network"
)

// Status says how an evaluation ended.
type Status string

// The statuses of an evaluation.
const (
	OK       Status = "ok"       // trained and scored
	Diverged Status = "diverged" // training diverged: worst fitness
	Invalid  Status = "invalid"  // the genome does not describe a trainable net: worst fitness
	Cached   Status = "cached"   // the same architecture was evaluated before in this run
	Failed   Status = "failed"   // no worker could evaluate it (a remote backend's): worst fitness
)

// Record is one evaluation, as logged to evaluations.jsonl.
type Record struct {
	Index      int           `json:"index"`      // order of completion in the run
	Generation int           `json:"generation"` // 0 is the initial population
	Key        string        `json:"key"`
	Arch       string        `json:"arch"`
	Genome     genome.Genome `json:"genome"`
	Fitness    float64       `json:"-"` // +Inf when diverged or invalid
	Status     Status        `json:"status"`
	Reason     string        `json:"reason,omitempty"`
	Val        Scores        `json:"val"`
	Test       Scores        `json:"test"`
	Params     int           `json:"params"`
	FLOPs      int64         `json:"flops"`                    // per sample, one forward pass
	LatencyUS  float64       `json:"latency_us,omitempty"`     // measured: median µs per sample, when asked
	LatencyIQR float64       `json:"latency_iqr_us,omitempty"` // interquartile range of the timed passes, µs
	Epochs     int           `json:"epochs"`
	TrainS     float64       `json:"train_s"`
	Samples    int           `json:"train_samples"`     // training samples processed; 0 for a cache hit
	Seed       uint64        `json:"seed"`              // the training seed
	Curve      []float64     `json:"curve,omitempty"`   // validation metric after each epoch
	Partial    bool          `json:"partial,omitempty"` // stopped by multi-fidelity before its epochs ran out
	Stopped    string        `json:"stopped,omitempty"` // what stopped it early, if anything
	Visit      int           `json:"visit,omitempty"`   // 0 for a genome's first evaluation, n for its n-th re-evaluation (Reevaluate)
	// Fold is the cross-validation fold a re-evaluation validated on
	// (Settings.Folds: visit mod folds; dataset.Data.Fold), 0 for the
	// data's own validation split.
	Fold int `json:"fold,omitempty"`
	// Regret is set by a tabular benchmark: how far the configuration's mean
	// over the table's repeats is from the best mean of the space searched.
	Regret *float64 `json:"regret,omitempty"`
	// Worker and Build say which queue worker trained it, and which build
	// of evonas (see queue.Build); empty for a training in this process.
	Worker string `json:"worker,omitempty"`
	Build  string `json:"build,omitempty"`
	// Lineage, set by an evolutionary search: the keys of the genomes this
	// one was made from (one for a mutation, two for a crossover, none for
	// a sampled one) and the operators that made it, in order ("crossover",
	// then the mutation operators' names).
	Parents []string `json:"parents,omitempty"`
	Ops     []string `json:"ops,omitempty"`
}

type recordJSON Record

// recordOut is a Record as JSON: what encoding/json would write but for
// the numbers it cannot, or that readers cannot hold.
type recordOut struct {
	recordJSON
	Fitness *float64          `json:"fitness"`
	TrainS  json.RawMessage   `json:"train_s"`
	Curve   []json.RawMessage `json:"curve,omitempty"`
	// The training seed is a decimal string: a JSON number above 2^53 is
	// rounded by JavaScript and by any reader that parses numbers as
	// doubles.
	Seed json.Number `json:"seed,string"`
}

// recordIn reads a recordOut; a number is read as a seed too, as earlier
// logs hold one.
type recordIn struct {
	recordJSON
	Fitness *float64          `json:"fitness"`
	TrainS  json.RawMessage   `json:"train_s"`
	Curve   []json.RawMessage `json:"curve,omitempty"`
	Seed    json.Number       `json:"seed"`
}

// MarshalJSON writes the fitness as a number, or null when it is infinite,
// every other non-finite number (a score, a point of the curve) as null,
// and the seed as a decimal string.
func (r Record) MarshalJSON() ([]byte, error) {
	var f *float64
	if !math.IsInf(r.Fitness, 0) && !math.IsNaN(r.Fitness) {
		f = &r.Fitness
	}
	return json.Marshal(recordOut{recordJSON(r), f, number(r.TrainS), numbers(r.Curve), json.Number(strconv.FormatUint(r.Seed, 10))})
}

// UnmarshalJSON reads a record written by MarshalJSON.
func (r *Record) UnmarshalJSON(b []byte) error {
	var v recordIn
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Record(v.recordJSON)
	r.Fitness = math.Inf(1)
	if v.Fitness != nil {
		r.Fitness = *v.Fitness
	}
	if err := readNumber(v.TrainS, &r.TrainS); err != nil {
		return err
	}
	r.Seed = 0
	if v.Seed != "" {
		seed, err := strconv.ParseUint(string(v.Seed), 10, 64)
		if err != nil {
			return fmt.Errorf("seed %s: %w", v.Seed, err)
		}
		r.Seed = seed
	}
	var err error
	r.Curve, err = readNumbers(v.Curve)
	return err
}

// BalancedMetric is the Settings.Metric that selects on balanced accuracy.
const BalancedMetric = "balanced"

// Settings are the training settings shared by every evaluation of a run.
type Settings struct {
	Epochs    int
	Patience  int
	Momentum  float64           // SGD momentum
	Precision network.Precision // of training; float64 when empty

	// Helpers lends trainings idle cores for their products (float32 on
	// AVX2 only); results do not depend on it. An Evaluator sets its pool
	// (SetLending).
	Helpers      network.Helpers `json:"-"`
	ParamPenalty float64         // fitness += ParamPenalty * log10(params)
	MaxMemory    int64           // bytes a training may need; 0 = network.DefaultMaxMemory. A net over it is invalid.
	Latency      bool            // measure each trained net's prediction latency (see LatencyObjective)
	Fidelity     Fidelity
	// Metric is what the fitness measures: "" or "metric", 1 - the
	// validation metric (accuracy, or R² for regression); "loss", the
	// validation loss (cross-entropy, or mean squared error), a continuous
	// signal that still ranks nets whose accuracies tie on a small
	// validation split; "balanced" (BalancedMetric), 1 - the validation
	// balanced accuracy of a classification (BalancedAccuracy), which the
	// records then carry (Scores.BalAcc) and the validation curves follow.
	Metric string
	// Folds, when 2 or more, makes re-evaluations (Reevaluate) rotate
	// over that many cross-validation folds of the training and
	// validation rows (dataset.Data.Fold): a genome's n-th evaluation
	// trains and validates on fold n mod Folds, its first on the data's
	// own split. The mean of a genome's Folds evaluations is then a k-fold
	// cross-validation estimate, measured mostly on validation rows the
	// search did not rank the genome's first evaluation on. Trainings in
	// this process only (no Backend).
	Folds int
}

// Evaluator trains genomes on a run's data through a bounded pool of
// workers, caching results by genome key. It is safe for concurrent use.
type Evaluator struct {
	data     *dataset.Data
	settings Settings
	runSeed  uint64
	pool     chan struct{}

	// OnRecord, when set before the first evaluation, sees every record
	// as it completes, one call at a time.
	OnRecord func(Record)

	trainHook func() // a test's: runs in the pool before each training
	backend   Backend
	bestRec   Record       // the best training this evaluator ran
	bestNet   *network.Net // its net

	mu        sync.Mutex
	curves    [][]float64       // validation curves of the finished trainings, for median stopping
	medians   []float64         // median stopping's thresholds for this generation
	preload   map[string]Record // results from an earlier run's log, reused instead of training
	cache     map[string]*entry
	visits    map[string]int        // re-evaluations of each key (Reevaluate)
	folds     map[int]*dataset.Data // Settings.Folds's folds, made when first needed
	next      int
	trainings int
	hits      int
	samples   int64

	// Speculation (EvaluateThen's Then.Maybe): on unless a backend runs
	// the trainings elsewhere.
	speculate   bool
	blocked     atomic.Int32          // trainings waiting for a slot of the pool
	spec        map[specKey]*specTask // re-evaluations trained ahead, unclaimed
	specStarted int
	specUsed    int
	specDropped int
}

// entry is a cached evaluation, done when ready is closed.
type entry struct {
	ready chan struct{}
	rec   Record
	err   error
	// cancelled: err ended the training because the context that started
	// it was cancelled; any other error is the backend's failure.
	cancelled bool
}

// NewEvaluator returns an evaluator of genomes on d. workers bounds the
// concurrent trainings; 0 means the number of CPUs.
func NewEvaluator(d *dataset.Data, s Settings, runSeed uint64, workers int) *Evaluator {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	e := &Evaluator{data: d, settings: s, runSeed: runSeed, pool: make(chan struct{}, workers), cache: map[string]*entry{}, speculate: true}
	e.SetLending(true)
	return e
}

// SetLending lends the pool's free slots to the trainings still running
// (network.Helpers), or stops doing so. It is on from NewEvaluator: a
// large net training alone while the other workers wait (a generation's
// straggler) takes a free core for its minibatch steps. A free slot is an
// idle core only when there are no more workers than threads running Go
// code, so it never lends otherwise. Results do not depend on it. Call it
// before evaluating.
func (e *Evaluator) SetLending(on bool) {
	e.settings.Helpers = nil
	if w := cap(e.pool); on && w > 1 && w <= runtime.GOMAXPROCS(0) {
		e.settings.Helpers = poolLender(e.pool)
	}
}

// poolLender lends a training the pool's free slots: at the end of a
// generation, when the last trainings run and no other waits, the idle
// workers' cores help with their products.
type poolLender chan struct{}

func (p poolLender) TryAcquire() bool {
	select {
	case p <- struct{}{}:
		return true
	default:
		return false
	}
}

func (p poolLender) Release() { <-p }

// Preload gives the evaluator results logged by an earlier run of the same
// search (a resumed run): a genome whose key has a trained record among
// them is answered from it, counted as a training, instead of trained
// again. Cache hits in recs are ignored, and so is the lineage a search
// added to a record (Parents, Ops): the record answered is the one the
// training gave, as in the run that logged it. Call it before evaluating.
func (e *Evaluator) Preload(recs []Record) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.preload == nil {
		e.preload = map[string]Record{}
	}
	for _, r := range recs {
		if r.Status == Cached {
			continue
		}
		if _, ok := e.preload[r.Key]; !ok {
			r.Parents, r.Ops = nil, nil
			e.preload[r.Key] = r
		}
	}
}

// Workers returns the pool's size.
func (e *Evaluator) Workers() int { return cap(e.pool) }

// Data returns the data the evaluator trains on.
func (e *Evaluator) Data() *dataset.Data { return e.data }

// Counts returns the trainings run, the cache hits and the training
// samples processed so far.
func (e *Evaluator) Counts() (trainings, hits int, samples int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.trainings, e.hits, e.samples
}

// TrainingSeed derives an evaluation's training seed from the run seed and
// the genome key, so that a result does not depend on when or where it ran.
func TrainingSeed(runSeed uint64, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return splitmix(runSeed ^ splitmix(h.Sum64()))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Evaluate scores each genome, training those not seen before in this run
// concurrently through the pool, and returns their records in order. A
// genome already evaluated, or in training for another caller, is a cache
// hit. Diverged and invalid nets are records with infinite fitness; the
// only error is the context's.
func (e *Evaluator) Evaluate(ctx context.Context, gs []genome.Genome, generation int) ([]Record, error) {
	entries, hit := e.launch(ctx, gs, generation)
	recs := make([]Record, len(gs))
	for i := range entries {
		for {
			select {
			case <-entries[i].ready:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			done, err := e.settle(ctx, gs, entries, hit, i, generation)
			if err != nil {
				return nil, err
			}
			if done {
				break
			}
		}
		recs[i] = e.answer(entries[i], hit[i], generation)
	}
	return recs, nil
}

// EvaluateThen is Evaluate that lets the caller add re-evaluations to the
// batch while it runs, so that no worker waits for the batch's last
// training before they start. then is called with each genome's index and
// record the moment the record is ready (from the caller's goroutine, one
// call at a time, in the order trainings finish), and the genomes of its
// Then.Now (of this batch or any other) are re-evaluated, as by
// Reevaluate, through the same pool while the rest of the batch trains;
// those of its Then.Maybe may be trained ahead on idle slots (see Then),
// and the ones not asked for by the end are dropped. It returns the
// records of gs in order and, for each i, the records of the
// re-evaluations that then(i, ...) asked for, in that order. For results
// that do not depend on the worker count, what then asks for must not
// depend on the order records arrive in. The only error is the context's
// (or a backend's failure, as for Evaluate).
func (e *Evaluator) EvaluateThen(ctx context.Context, gs []genome.Genome, generation int, then func(i int, rec Record) Then) ([]Record, [][]Record, error) {
	entries, hit := e.launch(ctx, gs, generation)
	ready := make(chan int, len(gs))
	// freed hears of re-evaluations ending: a slot for speculation.
	freed := make(chan struct{}, 1)
	sp := e.speculator(ctx, generation, freed)
	watch := func(i int) {
		en := entries[i]
		go func() {
			select {
			case <-en.ready:
				ready <- i
			case <-ctx.Done():
			}
		}()
	}
	for i := range entries {
		watch(i)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		vErr  error
		recs  = make([]Record, len(gs))
		again = make([][]Record, len(gs))
	)
	// Re-evaluations still under way when this returns would write into
	// slices nobody reads and log records after their batch.
	defer wg.Wait()
	defer sp.stop()
	for left := len(gs); left > 0; {
		var i int
		select {
		case i = <-ready:
		case <-freed:
			sp.fill()
			continue
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		done, err := e.settle(ctx, gs, entries, hit, i, generation)
		if err != nil {
			return nil, nil, err
		}
		if !done {
			watch(i)
			continue
		}
		left--
		recs[i] = e.answer(entries[i], hit[i], generation)
		next := then(i, recs[i])
		more := next.Now
		again[i] = make([]Record, len(more))
		for k, g := range more {
			wg.Add(1)
			e.visit(ctx, g, generation, func(rec Record, err error) {
				defer wg.Done()
				select {
				case freed <- struct{}{}:
				default:
				}
				if err != nil {
					mu.Lock()
					vErr = err
					mu.Unlock()
					return
				}
				again[i][k] = rec
			})
		}
		// After the visits above, which claim their genomes' trainings.
		sp.update(next.Maybe)
		sp.fill()
	}
	sp.stop() // now, not deferred: no slot waits for these while the visits finish
	wg.Wait()
	if vErr != nil {
		return nil, nil, vErr
	}
	return recs, again, nil
}

// launch starts the trainings of the genomes of gs not in the cache and
// returns each genome's cache entry, and whether it was there already (a
// cache hit).
func (e *Evaluator) launch(ctx context.Context, gs []genome.Genome, generation int) ([]*entry, []bool) {
	entries := make([]*entry, len(gs))
	hit := make([]bool, len(gs))
	var group []halvingTask
	var launch []trainTask
	e.mu.Lock()
	halve := e.halving() && e.halveBatch(gs)
	for i, g := range gs {
		key := g.Key()
		if en, ok := e.cache[key]; ok {
			entries[i], hit[i] = en, true
			continue
		}
		if halve {
			en := &entry{ready: make(chan struct{})}
			e.cache[key] = en
			entries[i] = en
			group = append(group, halvingTask{en: en, g: g.Clone(), key: key})
			continue
		}
		en, fresh := e.entry(g, key, generation)
		entries[i] = en
		if fresh {
			launch = append(launch, trainTask{en, g.Clone(), key})
		}
	}
	medians := e.medians
	e.mu.Unlock()
	if len(group) > 0 {
		go e.halve(ctx, group, generation)
	}
	// Biggest first: the pool's last trainings are then short ones, and no
	// worker idles while one large net trains alone at the end.
	inputs := e.data.Train.D
	sort.SliceStable(launch, func(i, j int) bool {
		ci, cj := cost(launch[i].g, inputs), cost(launch[j].g, inputs)
		if ci != cj {
			return ci > cj
		}
		return launch[i].key < launch[j].key
	})
	for _, t := range launch {
		go e.train(ctx, t.en, t.g, t.key, generation, medians)
	}
	return entries, hit
}

// halveBatch reports whether the batch gs has a new genome (in neither the
// cache nor the preloaded log) and must be halved. Its new genomes are then
// halved together, the preloaded ones trained again: a batch interrupted
// mid-way logged the candidates its first rungs stopped and not those they
// promoted, and ranking the promoted ones among themselves would stop some
// of them earlier than the uninterrupted run did. A batch whose new genomes
// are all in the log is answered from it. The caller holds e.mu.
func (e *Evaluator) halveBatch(gs []genome.Genome) bool {
	for _, g := range gs {
		key := g.Key()
		if _, ok := e.cache[key]; ok {
			continue
		}
		if _, done := e.preload[key]; !done {
			return true
		}
	}
	return false
}

// settle looks at the i-th entry of a batch once it is ready: done when it
// holds a record; when another caller's training of the genome was
// cancelled and forgotten, it starts the genome's training again in
// entries[i] and is not done. The error is the context's or the backend's
// failure.
func (e *Evaluator) settle(ctx context.Context, gs []genome.Genome, entries []*entry, hit []bool, i, generation int) (done bool, err error) {
	en := entries[i]
	if en.err == nil {
		return true, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if !en.cancelled {
		// The backend failed (its connection is gone, no worker can run
		// the job): training it again would fail again at once.
		return false, en.err
	}
	// Another caller's evaluation of this genome was cancelled and
	// forgotten; ours goes on, so train it again.
	entries[i], hit[i] = e.submit(ctx, gs[i], generation), false
	return false, nil
}

// answer is a ready entry's record for this batch: a cache hit is logged
// as one, with no training time.
func (e *Evaluator) answer(en *entry, hit bool, generation int) Record {
	if !hit {
		return en.rec
	}
	r := en.rec
	r.Status, r.Generation, r.Samples, r.TrainS = Cached, generation, 0, 0
	e.mu.Lock()
	e.hits++
	r.Index = e.next
	e.next++
	if e.OnRecord != nil {
		e.OnRecord(r)
	}
	e.mu.Unlock()
	return r
}

// submit returns the cache entry of g, starting its training if there is
// none.
func (e *Evaluator) submit(ctx context.Context, g genome.Genome, generation int) *entry {
	key := g.Key()
	e.mu.Lock()
	defer e.mu.Unlock()
	if en, ok := e.cache[key]; ok && en.err == nil {
		return en
	}
	return e.start(ctx, g, key, generation)
}

// start makes g's cache entry and trains it, or answers it from the
// preloaded log. The caller holds e.mu.
func (e *Evaluator) start(ctx context.Context, g genome.Genome, key string, generation int) *entry {
	en, fresh := e.entry(g, key, generation)
	if fresh {
		go e.train(ctx, en, g.Clone(), key, generation, e.medians)
	}
	return en
}

// trainTask is a training to launch.
type trainTask struct {
	en  *entry
	g   genome.Genome
	key string
}

// cost estimates a genome's training cost: its weights, times its
// minibatch products' overhead.
func cost(g genome.Genome, inputs int) int {
	c, in := 0, inputs
	for _, l := range g.Layers {
		c += (in + 1) * l.Units
		in = l.Units
	}
	return c + in + 1
}

// entry makes g's cache entry, answered at once from the preloaded log if
// it is there; fresh reports whether it needs a training. The caller holds
// e.mu.
func (e *Evaluator) entry(g genome.Genome, key string, generation int) (en *entry, fresh bool) {
	en = &entry{ready: make(chan struct{})}
	e.cache[key] = en
	if rec, ok := e.preload[key]; ok {
		rec.Generation = generation
		e.trainings++
		e.samples += int64(rec.Samples)
		rec.Index = e.next
		e.next++
		en.rec = rec
		e.addCurve(rec)
		if e.OnRecord != nil {
			e.OnRecord(rec)
		}
		close(en.ready)
		return en, false
	}
	return en, true
}

// train runs one evaluation in the pool and completes its entry.
func (e *Evaluator) train(ctx context.Context, en *entry, g genome.Genome, key string, generation int, medians []float64) {
	defer close(en.ready)
	if !e.acquire(ctx) {
		e.forget(ctx, key, en, ctx.Err())
		return
	}
	if e.trainHook != nil {
		e.trainHook()
	}
	rec, net, err := e.run(ctx, g, key, generation, medians)
	<-e.pool
	if err != nil {
		e.forget(ctx, key, en, err)
		return
	}
	e.keep(rec, net)
	e.complete(en, rec, generation)
}

// acquire takes a slot of the pool, counted among the trainings waiting
// for one meanwhile (speculation leaves those slots alone), cancelling a
// training started ahead to free one if need be; false when ctx ended
// first.
func (e *Evaluator) acquire(ctx context.Context) bool {
	e.blocked.Add(1)
	defer e.blocked.Add(-1)
	select {
	case e.pool <- struct{}{}:
		return true
	default:
		e.preempt()
	}
	select {
	case e.pool <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// keep holds on to the net of the best training so far (lowest fitness,
// then key, the order of a search's hall of fame), so that the best model
// can be saved without training it again.
func (e *Evaluator) keep(rec Record, net *network.Net) {
	if net == nil || rec.Status != OK {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.bestNet == nil || rec.Fitness < e.bestRec.Fitness || rec.Fitness == e.bestRec.Fitness && rec.Key < e.bestRec.Key {
		e.bestRec, e.bestNet = rec, net
	}
}

// TrainedNet returns the trained net of the genome with the given key if
// it is the best this evaluator trained itself, or nil (evaluations
// answered from a log or by a remote backend keep no net).
func (e *Evaluator) TrainedNet(key string) *network.Net {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.bestNet != nil && e.bestRec.Key == key {
		return e.bestNet
	}
	return nil
}

// complete records a finished training.
func (e *Evaluator) complete(en *entry, rec Record, generation int) {
	rec.Generation = generation
	e.mu.Lock()
	e.trainings++
	e.samples += int64(rec.Samples)
	rec.Index = e.next
	e.next++
	en.rec = rec
	e.addCurve(rec)
	if e.OnRecord != nil {
		e.OnRecord(rec)
	}
	e.mu.Unlock()
}

// forget drops an evaluation that did not finish, so that a later run (a
// resume) trains it again.
func (e *Evaluator) forget(ctx context.Context, key string, en *entry, err error) {
	e.mu.Lock()
	if e.cache[key] == en {
		delete(e.cache, key)
	}
	e.mu.Unlock()
	en.err = err
	en.cancelled = ctx.Err() != nil
}

// Train evaluates one genome without the cache or the pool: the same
// training, with the same seed, that Evaluate gives it.
func (e *Evaluator) Train(ctx context.Context, g genome.Genome) (Record, *Outcome, error) {
	return Run(ctx, e.data, e.settings, g, TrainingSeed(e.runSeed, g.Key()))
}

// Retrain trains the genome of a record again with its seed, for as many
// epochs as the record got (a partial record's fewer), which reproduces
// the record's net and metrics.
func (e *Evaluator) Retrain(ctx context.Context, rec Record) (Record, *Outcome, error) {
	s := e.settings
	s.Fidelity = Fidelity{}
	if rec.Partial {
		s.Epochs = rec.Epochs
	}
	r, o, err := Run(ctx, e.data, s, rec.Genome, rec.Seed)
	r.Partial, r.Stopped = rec.Partial, rec.Stopped
	return r, o, err
}

// Job is one evaluation as a backend receives it.
type Job struct {
	Key        string        `json:"key"`
	Genome     genome.Genome `json:"genome"`
	Seed       uint64        `json:"seed"` // the training seed
	Generation int           `json:"generation"`
	// Medians are median stopping's thresholds (see RunWithMedians); a
	// backend passes them on.
	Medians []float64 `json:"medians,omitempty"`
	// Visit is 0 for a genome's first evaluation and n for its n-th
	// re-evaluation; Seed then already differs (VisitSeed), so a backend
	// that trains may ignore it.
	Visit int `json:"visit,omitempty"`
}

// Backend runs evaluations for an Evaluator, for instance on other
// machines. It must return what Run returns for the job on the same data
// and settings; the only error is a context's or the backend's own failure.
type Backend interface {
	Run(ctx context.Context, job Job) (Record, error)
}

// SetBackend makes the evaluator run its trainings through b instead of
// in this process. The pool still bounds how many run at once. Call it
// before evaluating. Re-evaluations are then not trained ahead (see Then):
// a remote job cannot be taken back.
func (e *Evaluator) SetBackend(b Backend) { e.backend, e.speculate = b, false }

// Settings returns the training settings.
func (e *Evaluator) Settings() Settings { return e.settings }

func (e *Evaluator) run(ctx context.Context, g genome.Genome, key string, generation int, medians []float64) (Record, *network.Net, error) {
	seed := TrainingSeed(e.runSeed, key)
	if e.backend != nil {
		rec, err := e.backend.Run(ctx, Job{Key: key, Genome: g, Seed: seed, Generation: generation, Medians: medians})
		return rec, nil, err
	}
	rec, o, err := RunWithMedians(ctx, e.data, e.settings, g, seed, medians)
	if o == nil {
		return rec, nil, err
	}
	return rec, o.Net, err
}

// Run trains the net a genome describes on d with the given training seed
// and scores it: the one evaluation every evaluator and remote worker
// performs. A diverged or invalid net is a record with infinite fitness
// and its reason; the only error is the context's.
func Run(ctx context.Context, d *dataset.Data, s Settings, g genome.Genome, seed uint64) (Record, *Outcome, error) {
	return RunWithMedians(ctx, d, s, g, seed, nil)
}

// RunWithMedians is Run with median stopping: medians[e-1] is the median
// validation metric at epoch e of the evaluations completed before this
// generation (NaN where too few), and the training stops at the first
// epoch, from s.Fidelity.MinEpochs on, whose metric is below it. nil
// medians, or a fidelity method other than median, stop nothing.
func RunWithMedians(ctx context.Context, d *dataset.Data, s Settings, g genome.Genome, seed uint64, medians []float64) (Record, *Outcome, error) {
	rec := Record{Key: g.Key(), Arch: g.Arch(), Genome: g, Seed: seed, Fitness: math.Inf(1)}
	hidden, cfg, err := netConfig(d, s, g, seed)
	if err != nil {
		rec.Status, rec.Reason = Invalid, err.Error()
		return rec, nil, nil
	}
	rec.Params, rec.FLOPs = Spec(d, hidden).Params(), FLOPs(Spec(d, hidden))
	median := s.Fidelity.Method == "median" && len(medians) > 0
	cfg.OnEpoch = func(st network.EpochStats) bool {
		m := s.epochMetric(d.Task, st.Val)
		rec.Curve = append(rec.Curve, m)
		if median && st.Epoch >= s.Fidelity.MinEpochs && st.Epoch < s.Epochs && st.Epoch <= len(medians) && m < medians[st.Epoch-1] {
			rec.Partial, rec.Stopped = true, fmt.Sprintf("median: epoch %d metric %.4g below the median %.4g", st.Epoch, m, medians[st.Epoch-1])
			return true
		}
		return false
	}
	o, err := Train(ctx, d, hidden, cfg, seed)
	if ctx.Err() != nil {
		return rec, nil, ctx.Err()
	}
	return finishRecord(rec, o, err, d, s), o, nil
}

// finishRecord completes a record from a training's outcome or error.
func finishRecord(rec Record, o *Outcome, err error, d *dataset.Data, s Settings) Record {
	if o != nil {
		rec.Epochs, rec.TrainS, rec.Samples = o.Result.Epochs, o.Result.Seconds, o.Result.Samples
	}
	switch {
	case err == nil:
	case errors.Is(err, network.ErrDiverged):
		rec.Status, rec.Reason, rec.Partial, rec.Stopped = Diverged, err.Error(), false, ""
		return rec
	default:
		rec.Status, rec.Reason = Invalid, err.Error()
		return rec
	}
	rec.Val, rec.Test = s.measured(d.Task, o.Val, o.ValBal), s.measured(d.Task, o.Test, o.TestBal)
	metric := rec.Val.Metric(d.Task)
	rec.Fitness = s.score(d.Task, rec.Val, rec.Params)
	rec.Status = OK
	if math.IsNaN(rec.Fitness) || math.IsInf(rec.Fitness, 0) {
		rec.Status, rec.Reason, rec.Fitness = Diverged, fmt.Sprintf("validation metric %v", metric), math.Inf(1)
		return rec
	}
	if s.Latency && o.Net != nil {
		med, iqr := measureLatency(o.Net, d.Val)
		rec.LatencyUS, rec.LatencyIQR = med*1e6, iqr*1e6
	}
	return rec
}

// measured is sc, a split's scores, as a record of a run with these
// settings carries them: with bal, the split's balanced accuracy, when the
// run selects on it, without it otherwise (so that the records of other
// runs are as they were before it existed). A split without rows keeps no
// scores.
func (s Settings) measured(task dataset.Task, sc Scores, bal float64) Scores {
	if s.Metric == BalancedMetric && task != dataset.Regression && sc != (Scores{}) {
		sc.BalAcc, sc.Balanced = bal, true
	}
	return sc
}

// epochMetric is the point of a validation curve for the validation
// metrics m after an epoch: the accuracy, or the balanced accuracy when
// the run selects on it, or R² for regression. Median stopping and
// successive halving compare these.
func (s Settings) epochMetric(task dataset.Task, m network.Metrics) float64 {
	switch {
	case task == dataset.Regression:
		return m.R2
	case s.Metric == BalancedMetric:
		return BalancedAccuracy(m.ClassRows, m.ClassHits)
	}
	return m.Accuracy
}

// score is the fitness of a training with validation scores val of a net
// of params parameters.
func (s Settings) score(task dataset.Task, val Scores, params int) float64 {
	f := 1 - val.Metric(task)
	if s.Metric == "loss" {
		f = val.Loss
	}
	return f + s.ParamPenalty*math.Log10(float64(params))
}

// TrainingFitness is the fitness of a record's own training, from its
// validation scores and size: its Fitness, unless a search put there the
// mean of several evaluations of the genome (search.Noise), whose other
// fields are its first evaluation's. Retrain reproduces this one.
func (e *Evaluator) TrainingFitness(rec Record) float64 {
	if rec.Status != OK && rec.Status != Cached {
		return rec.Fitness
	}
	return e.settings.score(e.data.Task, rec.Val, rec.Params)
}

// netConfig turns a genome into the hidden layers and training settings
// of its net.
func netConfig(d *dataset.Data, s Settings, g genome.Genome, seed uint64) ([]network.Layer, network.TrainConfig, error) {
	hidden := make([]network.Layer, len(g.Layers))
	for i, l := range g.Layers {
		a, err := network.ParseActivation(l.Activation)
		if err != nil {
			return nil, network.TrainConfig{}, fmt.Errorf("layer %d: %v", i+1, err)
		}
		hidden[i] = network.Layer{Units: l.Units, Activation: a, Dropout: l.Dropout}
	}
	cfg := network.TrainConfig{
		Epochs:    s.Epochs,
		Batch:     g.Batch,
		Optimizer: network.Optimizer(g.Optimizer),
		LR:        g.LR,
		Schedule:  network.Schedule(g.Schedule),
		L2:        g.L2,
		Momentum:  s.Momentum,
		Patience:  s.Patience,
		Seed:      seed,
		Precision: s.Precision,
		Helpers:   s.Helpers,
		MaxMemory: s.MaxMemory,
	}
	if err := network.CheckConfig(cfg); err != nil {
		return nil, cfg, err
	}
	if err := Spec(d, hidden).Validate(); err != nil {
		return nil, cfg, err
	}
	if err := Spec(d, hidden).CheckMemory(cfg, d.Train.N, d.Val.N); err != nil {
		return nil, cfg, err
	}
	return hidden, cfg, nil
}
