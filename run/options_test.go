package run

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

func TestCheckQueue(t *testing.T) {
	cfg := configs.Default()
	if err := CheckQueue(cfg); err != nil {
		t.Errorf("the default config: %v, want nil", err)
	}
	cfg.Fidelity.Method = "halving"
	var oe *OptionError
	if err := CheckQueue(cfg); !errors.As(err, &oe) || oe.Option() != "queue" || !strings.Contains(oe.Err.Error(), "halving") {
		t.Errorf("halving: %v, want an OptionError of queue naming halving", err)
	}
}

func TestQueueOptionsCheck(t *testing.T) {
	good := func() QueueOptions {
		return QueueOptions{Jobs: 64, TimeLimit: queue.DefaultTimeLimit, Options: queue.Options{URL: "nats://127.0.0.1:4222",
			MaxDeliver: queue.DefaultMaxDeliver, AckWait: queue.DefaultAckWait, GiveUp: queue.DefaultGiveUp}}
	}
	if err := good().Check(); err != nil {
		t.Fatalf("the defaults: %v, want nil", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*QueueOptions)
		option string // of the OptionError; "" for another error
		want   string
	}{
		{"no jobs", func(o *QueueOptions) { o.Jobs = 0 }, "queue_jobs", "want at least 1, got 0"},
		{"a short time limit", func(o *QueueOptions) { o.TimeLimit = time.Millisecond }, "job_time_limit", "want at least 1s, got 1ms"},
		{"an embedded queue with a CA", func(o *QueueOptions) { o.Embedded, o.TLSCA = true, "ca.pem" }, "queue_tls_ca", "an embedded queue takes no credentials"},
		{"no deliveries", func(o *QueueOptions) { o.MaxDeliver = 0 }, "max_deliver", "want 1 to 20, got 0"},
		{"too many deliveries", func(o *QueueOptions) { o.MaxDeliver = 21 }, "max_deliver", "want 1 to 20, got 21"},
		{"a short ack wait", func(o *QueueOptions) { o.AckWait = 10 * time.Millisecond }, "ack_wait", "want at least 1s, got 10ms"},
		{"half a certificate", func(o *QueueOptions) { o.TLSCert = "c.pem" }, "", queue.ErrHalfTLS.Error()},
		{"a bad URL", func(o *QueueOptions) { o.URL = "host:4222" }, "", "queue: host:4222: no scheme (want nats://HOST:PORT or tls://HOST:PORT)"},
		{"a short give-up", func(o *QueueOptions) { o.GiveUp = 0 }, "queue_give_up", "want at least 100ms, got 0s"},
		{"no jobs and a bad URL", func(o *QueueOptions) { o.Jobs, o.URL = 0, "" }, "queue_jobs", "want at least 1, got 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := good()
			tc.change(&o)
			err := o.Check()
			var oe *OptionError
			switch {
			case err == nil:
				t.Fatalf("nil, want %q", tc.want)
			case tc.option != "" && (!errors.As(err, &oe) || oe.Option() != tc.option || oe.Err.Error() != tc.want):
				t.Errorf("%v, want an OptionError of %s: %s", err, tc.option, tc.want)
			case tc.option == "" && err.Error() != tc.want:
				t.Errorf("%v, want %s", err, tc.want)
			}
		})
	}
	o := good()
	o.Embedded, o.URL = true, "embedded"
	if err := o.Check(); err != nil {
		t.Errorf("an embedded queue: %v, want nil (its URL is the server's)", err)
	}
}

func TestSetResumable(t *testing.T) {
	cfg := configs.Default()
	if err := SetResumable(&cfg, []string{"workers=3", "evolution.generations=7"}); err != nil || cfg.Workers != 3 || cfg.Evolution.Generations != 7 {
		t.Fatalf("workers %d, generations %d, err %v; want 3, 7, nil", cfg.Workers, cfg.Evolution.Generations, err)
	}
	for _, tc := range []struct{ set, want string }{
		{"workers", `--set "workers": want KEY=VALUE`},
		{"evolution.population=3", "--set evolution.population: resume cannot change it"},
		{"workers=x", `--set: workers: cannot decode "x"`},
	} {
		before := cfg
		err := SetResumable(&cfg, []string{tc.set})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an InputError starting %q", tc.set, err, tc.want)
		}
		if !reflect.DeepEqual(cfg, before) {
			t.Errorf("%s: the config changed", tc.set)
		}
	}
}

func TestHeadingAndNotes(t *testing.T) {
	cfg := configs.Default()
	cfg.Workers, cfg.SearchSpace.Batch = 3, []int{16, 512}
	d := &dataset.Data{Name: "xor", Task: dataset.Binary, Train: dataset.Split{N: 280}, Notes: []string{"xor: a note"}}
	s := &Search{Config: cfg, Strategy: Random, Data: d, Dir: "runs/x", Resume: true}
	if got, want := s.Heading(), "resuming random search on xor (binary, 280 train rows) with 3 workers; run directory runs/x"; got != want {
		t.Errorf("Heading() = %q, want %q", got, want)
	}
	s.Config.Workers = 1
	if got := s.Heading(); !strings.Contains(got, " with 1 worker;") {
		t.Errorf("Heading() = %q, want 1 worker", got)
	}
	// Through a queue: its local slots, not the config's workers.
	s.Queue = &Queue{slots: 2}
	if got := s.Heading(); !strings.Contains(got, " through the queue (2 local worker slots);") {
		t.Errorf("Heading() = %q, want the queue's 2 local slots", got)
	}
	if s.Queue = (&Queue{}); s.workers() != 0 {
		t.Errorf("workers() = %d through a queue without local slots, want 0", s.workers())
	}
	s.Queue = nil
	notes := s.Notes()
	if len(notes) != 2 || notes[0] != "xor: a note" || !strings.HasPrefix(notes[1], "search_space.batch 512 is more than the 280 training rows") {
		t.Errorf("Notes() = %q, want the data's note, then batch 512's", notes)
	}
}

func TestTableComparisonOpen(t *testing.T) {
	a, b := configs.Default(), configs.Default()
	a.Data.Table, b.Data.Table = "spirals_mlp", "other"
	tc := &TableComparison{Variants: []Variant{{Name: "a", Config: a}, {Name: "b", Config: b}}}
	if _, err := tc.Open(); err == nil || !strings.Contains(err.Error(), "configs a and b use different tables") {
		t.Errorf("different tables: %v", err)
	}
	tc.Table = "spirals_mlp"
	if tab, err := tc.Open(); err != nil || tab.Name != "spirals_mlp" {
		t.Errorf("--table: %v", err)
	}
}

func TestTableBuildCheck(t *testing.T) {
	cfg, err := configs.LoadNamed("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ok := TableBuild{Config: cfg, Source: "spirals_mlp", Out: filepath.Join(dir, "t.csv.gz"), BuildOptions: table.BuildOptions{Repeats: 2, MaxRows: 1000}}
	if n, err := ok.Check(); err != nil || n != 600 {
		t.Fatalf("Check() = %g, %v; want 600 configurations", n, err)
	}
	if ok.Resuming() {
		t.Error("Resuming() without a .partial file")
	}
	existing := filepath.Join(dir, "exists")
	if err := os.WriteFile(existing, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*TableBuild)
		want   string
	}{
		{"table", func(b *TableBuild) { b.Config.Data.Table = "spirals_mlp" }, "spirals_mlp: data.table is set"},
		{"repeats", func(b *TableBuild) { b.Repeats = 0 }, "repeats: want at least 1, got 0"},
		{"ranges", func(b *TableBuild) { b.Config = configs.Default() }, "(table build needs every gene a list of choices or fixed)"},
		{"rows", func(b *TableBuild) { b.MaxRows = 599 }, "search_space has 600 configurations (x 2 repeats = 1200 trainings), more than --max-rows 599"},
		{"out", func(b *TableBuild) { b.Out = existing }, "exists; choose another"},
	} {
		b := ok
		tc.change(&b)
		if _, err := b.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestSimStrategies(t *testing.T) {
	cfg := configs.Default()
	cfg.Evolution.Islands = 3
	got, err := SimStrategies([]string{"generational", " " + search.AsyncModel}, cfg)
	if err != nil || len(got) != 2 {
		t.Fatalf("SimStrategies: %v, %v", got, err)
	}
	if got[0].Name != "generational" || got[0].Settings.Islands != 3 {
		t.Errorf("generational: %s with %d islands, want generational with the config's 3", got[0].Name, got[0].Settings.Islands)
	}
	if s := got[1].Settings; got[1].Name != search.AsyncModel || s.Islands != 1 || s.Speciation != "none" {
		t.Errorf("async: %s with %d islands, speciation %q; want one island, none", got[1].Name, s.Islands, s.Speciation)
	}
	if _, err := SimStrategies([]string{"generational", "nosuch"}, cfg); err == nil || !strings.HasPrefix(err.Error(), "--models nosuch: ") {
		t.Errorf("an unknown model: %v", err)
	}
}
