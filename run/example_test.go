package run_test

import (
	"fmt"
	"log"

	"github.com/evonas/evonas/run"
)

// A run caught while it writes: its torn last lines are skipped, and it
// has no summary yet.
func ExampleOpen() {
	// As the process writing it holds it; a run no process holds reads
	// as interrupted.
	release, err := run.Hold("testdata/live")
	if err != nil {
		log.Fatal(err)
	}
	defer release()
	d, err := run.Open("testdata/live")
	if err != nil {
		log.Fatal(err)
	}
	recs, err := d.Records()
	if err != nil {
		log.Fatal(err)
	}
	gens, err := d.Generations()
	if err != nil {
		log.Fatal(err)
	}
	status, err := d.Status()
	if err != nil {
		log.Fatal(err)
	}
	sum, err := d.Summary()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Info.Kind, status)
	fmt.Printf("%d evaluations, %d generations, summary %v\n", len(recs), len(gens), sum != nil)
	fmt.Printf("generation 0: best fitness %.4f, best val accuracy %.4f\n", gens[0].Best, gens[0].BestMetric)
	// Output:
	// evolve running
	// 6 evaluations, 1 generations, summary false
	// generation 0: best fitness 0.1304, best val accuracy 0.8696
}
