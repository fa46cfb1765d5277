package queue

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// TestMain lets the test binary stand in for a worker process: with
// EVONAS_QUEUE_WORKER=URL it runs a one-slot worker on that server until
// SIGTERM, as evonas worker --slots 1 does (the command adds only its
// flags and lines).
func TestMain(m *testing.M) {
	if url := os.Getenv("EVONAS_QUEUE_WORKER"); url != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		c, err := Connect(ctx, Options{URL: url, Forever: true, Name: "benchmark worker"})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		err = (&Worker{Slots: 1}).Run(ctx, c)
		c.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchJobs is how many evaluations each benchmark iteration sends.
const benchJobs = 32

// workload is a benchmark's kind of job.
type workload struct {
	name     string
	data     dataset.Options
	settings fitness.Settings
	space    genome.Space
}

var workloads = []workload{
	// Nets of 16 to 64 units a layer on seed-sum's 1000 training rows,
	// 10 epochs: about 60 ms of training each.
	{"train", dataset.Options{Seed: 1}, fitness.Settings{Epochs: 10}, genome.Space{
		Layers: genome.IntRange{Min: 1, Max: 3}, Width: genome.IntRange{Min: 16, Max: 64},
		Activations: []string{"relu", "tanh"}, LR: genome.FloatRange{Min: 1e-3, Max: 3e-2}, Batches: []int{32}, Optimizers: []string{"adam"}}},
	// Nets of 2 to 8 units, one epoch on 143 rows: well under a
	// millisecond, so the queue's own cost shows.
	{"tiny", dataset.Options{Seed: 1, Rows: 200}, fitness.Settings{Epochs: 1}, genome.Space{
		Layers: genome.IntRange{Min: 1, Max: 2}, Width: genome.IntRange{Min: 2, Max: 8},
		Activations: []string{"relu", "tanh"}, LR: genome.FloatRange{Min: 1e-3, Max: 3e-2}, Batches: []int{32}, Optimizers: []string{"adam"}}},
}

// batch returns an iteration's distinct genomes.
func (w workload) batch(i int) []genome.Genome {
	rng := rand.New(rand.NewSource(int64(i)))
	var gs []genome.Genome
	seen := map[string]bool{}
	for len(gs) < benchJobs {
		g := w.space.Sample(rng)
		if !seen[g.Key()] {
			seen[g.Key()] = true
			gs = append(gs, g)
		}
	}
	return gs
}

// BenchmarkWorkers measures evaluations per second through the queue with
// 1, 2 and 4 worker processes of one slot on loopback, and in this process
// without a queue for reference; worker-cpu-ms/eval is the CPU time the
// worker processes spent per evaluation (startup included).
func BenchmarkWorkers(b *testing.B) {
	for _, w := range workloads {
		d, err := dataset.Load("seed-sum", w.data)
		if err != nil {
			b.Fatal(err)
		}
		ref := DataRef{Name: "seed-sum", Fingerprint: d.Fingerprint()}
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/local/workers=%d", w.name, workers), func(b *testing.B) {
				i := 0
				for b.Loop() {
					ev := fitness.NewEvaluator(d, w.settings, 1, workers)
					if _, err := ev.Evaluate(context.Background(), w.batch(i), 0); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(benchJobs*b.N)/b.Elapsed().Seconds(), "evals/s")
			})
		}
		for _, procs := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("%s/queue/procs=%d", w.name, procs), func(b *testing.B) {
				benchQueue(b, w, d, ref, procs)
			})
		}
	}
}

func benchQueue(b *testing.B, w workload, d *dataset.Data, ref DataRef, procs int) {
	s := serve(b)
	c := connect(b, s, 0)
	var cmds []*exec.Cmd
	for range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "EVONAS_QUEUE_WORKER="+s.URL())
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		cmds = append(cmds, cmd)
		b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	// Wait until every worker has started (and announced itself).
	for deadline := time.Now().Add(30 * time.Second); ; {
		st, err := c.Status(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(st.Workers) >= procs {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d workers have started", len(st.Workers), procs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	i := 0
	for b.Loop() {
		ev := fitness.NewEvaluator(d, w.settings, 1, 64)
		be, err := NewBackend(context.Background(), c, Run{ID: RunID("bench", w.name, fmt.Sprint(procs, i)), Data: ref, Settings: w.settings, Dataset: d})
		if err != nil {
			b.Fatal(err)
		}
		ev.SetBackend(be)
		recs, err := ev.Evaluate(context.Background(), w.batch(i), 0)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			if r.Status == fitness.Failed {
				b.Fatalf("%s: %s", r.Arch, r.Reason)
			}
		}
		be.Close()
		i++
	}
	b.ReportMetric(float64(benchJobs*b.N)/b.Elapsed().Seconds(), "evals/s")
	var cpu time.Duration
	for _, cmd := range cmds {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(benchJobs*b.N), "worker-cpu-ms/eval")
}
