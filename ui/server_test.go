package ui

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/run"
)

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func record(i, gen int, acc float64, parents ...string) fitness.Record {
	g := genome.Genome{Layers: []genome.Layer{{Units: 4 + i, Activation: "relu"}}, LR: 0.01, Batch: 32, Optimizer: "adam"}
	return fitness.Record{Index: i, Generation: gen, Key: g.Key(), Arch: "x", Genome: g, Fitness: 1 - acc, Status: fitness.OK,
		Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}, Params: 10 * (i + 1), Epochs: 2, Curve: []float64{acc / 2, acc},
		Parents: parents}
}

// writeSearch writes a search's directory by hand: run.json, the records
// (tail appended to evaluations.jsonl as is), a generation and, when
// interrupted, an interrupted checkpoint.
func writeSearch(t *testing.T, dir string, recs []fitness.Record, tail string, interrupted bool) {
	t.Helper()
	y, err := configs.ReadEmbedded("seed")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(run.Info{Version: run.InfoVersion, Kind: run.KindEvolve, Strategy: run.GA, Command: "evonas evolve", Config: string(y)})
	writeFile(t, filepath.Join(dir, run.InfoFile), info)
	var b strings.Builder
	for _, r := range recs {
		line, _ := json.Marshal(r)
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteString(tail)
	writeFile(t, filepath.Join(dir, run.EvaluationsFile), []byte(b.String()))
	writeFile(t, filepath.Join(dir, run.GenerationsFile), []byte(`{"generation":0,"best":0.1,"mean":0.2,"std":0.05,"failed":0,"best_so_far":0.1,"best_metric":0.9,"evaluations":2,"cache_hits":0,"train_samples":10,"diversity":1.5,"unique":2}`+"\n"+`{"generation":1,"be`))
	if interrupted {
		cp, _ := json.Marshal(run.Checkpoint{Version: run.CheckpointVersion, Interrupted: true})
		writeFile(t, filepath.Join(dir, run.CheckpointFile), cp)
		return
	}
	// Held as the process writing a live run holds it: one that no
	// process holds reads as interrupted.
	release, err := run.Hold(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
}

func newServer(t *testing.T) (*httptest.Server, string, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "runs")
	outside := filepath.Join(t.TempDir(), "secret")
	writeSearch(t, filepath.Join(root, "live"), []fitness.Record{record(0, 0, 0.8), record(1, 0, 0.9), record(2, 1, 0.95, record(1, 0, 0).Key)}, `{"index":3,"generation":1,"key":"tor`, false)
	writeSearch(t, filepath.Join(root, "stopped"), []fitness.Record{record(0, 0, 0.7)}, "", true)
	writeSearch(t, filepath.Join(root, "empty"), nil, "", false)
	writeSearch(t, outside, []fitness.Record{record(0, 0, 0.5)}, "", false)
	writeFile(t, filepath.Join(outside, "plot.png"), []byte("secret"))
	writeFile(t, filepath.Join(root, "live", "curves.png"), []byte("\x89PNG fine"))
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "plot.png"), filepath.Join(root, "live", "leak.png")); err != nil {
		t.Fatal(err)
	}
	// A run of its own whose log and config are another's, out of the tree.
	writeSearch(t, filepath.Join(root, "linked"), nil, "", false)
	writeFile(t, filepath.Join(outside, "secret.yaml"), []byte("secret_key: hunter2\n"))
	for f, to := range map[string]string{run.EvaluationsFile: filepath.Join(outside, run.EvaluationsFile), run.ConfigFile: filepath.Join(outside, "secret.yaml")} {
		os.Remove(filepath.Join(root, "linked", f))
		if err := os.Symlink(to, filepath.Join(root, "linked", f)); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, root, outside
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRunsList(t *testing.T) {
	ts, _, _ := newServer(t)
	code, body := get(t, ts.URL+"/api/runs")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var out struct{ Runs []RunRow }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status string
		evals  int
	}{"live": {"running", 3}, "stopped": {"interrupted", 1}, "empty": {"running", 0}}
	if len(out.Runs) != len(want) {
		t.Fatalf("runs %+v, want %d (the symlink out of the tree and the run with files out of it left out)", out.Runs, len(want))
	}
	for _, r := range out.Runs {
		w, ok := want[r.Path]
		if !ok || r.Status != w.status || r.Evaluations != w.evals || r.Data != "seed-sum" {
			t.Errorf("run %s: status %s, %d evaluations, data %q; want %+v", r.Path, r.Status, r.Evaluations, r.Data, w)
		}
	}
}

// TestTornAndLive reads a run being written: a torn last line in both logs
// is left out, and asking for the records since an index gives the new ones.
func TestTornAndLive(t *testing.T) {
	ts, root, _ := newServer(t)
	var s Search
	code, body := get(t, ts.URL+"/api/run?p=live")
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil {
		t.Fatalf("status %d: %s", code, body)
	}
	if s.Status != "running" || s.Total != 3 || len(s.Records) != 3 || len(s.Generations) != 1 || len(s.Errors) != 0 || s.Metric != "accuracy" {
		t.Fatalf("got status %s, %d records of %d, %d generations, errors %v, metric %q", s.Status, len(s.Records), s.Total, len(s.Generations), s.Errors, s.Metric)
	}
	if p := s.Records[2].Parents; len(p) != 1 || p[0] != s.Records[1].Key {
		t.Errorf("parents %v, want [%s]", p, s.Records[1].Key)
	}
	// The torn line is completed, and one more record appears.
	f, err := os.OpenFile(filepath.Join(root, "live", run.EvaluationsFile), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, acc := range []float64{0.8, 0.9, 0.95, 0.97} {
		line, _ := json.Marshal(record(i, i/2, acc))
		f.Write(append(line, '\n'))
	}
	f.Close()
	code, body = get(t, ts.URL+"/api/run?p=live&since=3")
	s = Search{}
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil {
		t.Fatalf("status %d: %s", code, body)
	}
	if s.Since != 3 || s.Total != 4 || len(s.Records) != 1 || s.Records[0].Index != 3 {
		t.Errorf("since 3: got since %d, total %d, %d records", s.Since, s.Total, len(s.Records))
	}
	for _, p := range []string{"stopped", "empty"} {
		code, body := get(t, ts.URL+"/api/run?p="+p)
		if code != 200 || !strings.Contains(body, `"status":"`) {
			t.Errorf("%s: status %d: %s", p, code, body)
		}
	}
	// A bad line before the last is an error the page shows, with the rest.
	writeFile(t, filepath.Join(root, "live", run.EvaluationsFile), []byte("{bad\n{}\n"))
	code, body = get(t, ts.URL+"/api/run?p=live")
	if code != 200 || !strings.Contains(body, `"errors":["`) || !strings.Contains(body, "evaluations.jsonl:1") {
		t.Errorf("bad line: status %d: %s", code, body)
	}
}

// TestOnlyUnderDir asks for paths outside the directory every way it can.
func TestOnlyUnderDir(t *testing.T) {
	ts, _, outside := newServer(t)
	for _, tc := range []struct {
		name, path string
		code       int
	}{
		{"inside", "/api/run?p=live", 200},
		{"plot inside", "/file?p=live/curves.png", 200},
		{"dotdot", "/api/run?p=../secret", 403},
		{"dotdot inside", "/api/run?p=live/../../secret", 403},
		{"encoded dotdot", "/api/run?p=" + url.QueryEscape("live/../../secret"), 403},
		{"double encoded", "/api/run?p=%252e%252e%252fsecret", 404},
		{"encoded slash path", "/api/run?p=%2e%2e%2fsecret", 403},
		{"absolute", "/api/run?p=" + url.QueryEscape(outside), 403},
		{"backslash", "/api/run?p=..%5csecret", 403},
		{"nul", "/api/run?p=live%00", 403},
		{"symlinked run", "/api/run?p=escape", 403},
		{"run with symlinked files", "/api/run?p=linked", 403},
		{"symlinked file", "/file?p=live/leak.png", 403},
		{"file dotdot", "/file?p=../secret/plot.png", 403},
		{"file via symlink dir", "/file?p=escape/plot.png", 403},
		{"not a plot", "/file?p=live/evaluations.jsonl", 403},
		{"run.json is not served", "/file?p=live/run.json", 403},
		{"static dotdot", "/../../etc/passwd", 307}, // to /etc/passwd, which is not an asset:
		{"static absolute", "/etc/passwd", 404},
		{"static encoded dotdot", "/%2e%2e/%2e%2e/etc/passwd", 404},
		{"compare dotdot", "/api/compare?p=../secret", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+"/", nil)
			req.URL.Opaque = strings.SplitN(tc.path, "?", 2)[0]
			if i := strings.IndexByte(tc.path, '?'); i >= 0 {
				req.URL.RawQuery = tc.path[i+1:]
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.code {
				t.Errorf("GET %s: status %d, want %d: %s", tc.path, resp.StatusCode, tc.code, b)
			}
			if strings.Contains(string(b), "secret") && tc.code != 200 && !strings.Contains(tc.path, "secret") {
				t.Errorf("GET %s leaked: %s", tc.path, b)
			}
			if string(b) == "secret" {
				t.Errorf("GET %s served the file outside", tc.path)
			}
		})
	}
}

// TestReadOnly refuses every method that could change something, and
// serves loopback names only when asked to.
func TestReadOnly(t *testing.T) {
	ts, root, _ := newServer(t)
	before, _ := os.ReadFile(filepath.Join(root, "live", run.EvaluationsFile))
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		req, _ := http.NewRequest(m, ts.URL+"/api/run?p=live", strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d, want 405", m, resp.StatusCode)
		}
	}
	after, _ := os.ReadFile(filepath.Join(root, "live", run.EvaluationsFile))
	if string(before) != string(after) {
		t.Error("the run's log changed")
	}

	s, _ := New(root)
	s.Loopback = true
	for host, want := range map[string]int{"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "localhost": 200, "evil.example:8080": 403, "10.0.0.1": 403} {
		req := httptest.NewRequest("GET", "/api/runs", nil)
		req.Host = host
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("Host %s: status %d, want %d", host, w.Code, want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:1": true, "[::1]:80": true, "0.0.0.0:8080": false, ":8080": false, "192.168.1.2:80": false, "nonsense": false} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestAssetsEmbedded(t *testing.T) {
	ts, _, _ := newServer(t)
	for path, want := range map[string]string{"/": "app.js", "/app.js": "pageRun", "/style.css": ".card"} {
		code, body := get(t, ts.URL+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: status %d, want a body with %q", path, code, want)
		}
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("GET %s refers to the network", path)
		}
	}
}

// TestPaletteShared: the pages take their colours from palette.js, which
// is the report's palette (report.Palette), loaded before app.js; app.js
// has no colours of its own, so a strategy has one colour on the page and
// in the report's plots shown below it.
func TestPaletteShared(t *testing.T) {
	ts, _, _ := newServer(t)
	code, js := get(t, ts.URL+"/palette.js")
	want, _ := json.Marshal(report.PaletteHex())
	if code != 200 || !strings.Contains(js, "const COLORS = "+string(want)+";") {
		t.Errorf("GET /palette.js: %d %q, want COLORS = %s", code, js, want)
	}
	_, index := get(t, ts.URL+"/")
	if i, j := strings.Index(index, `src="palette.js"`), strings.Index(index, `src="app.js"`); i < 0 || j < i {
		t.Errorf("index.html does not load palette.js before app.js:\n%s", index)
	}
	_, app := get(t, ts.URL+"/app.js")
	if regexp.MustCompile(`(const|let|var) COLORS\b`).MatchString(app) || regexp.MustCompile(`"#[0-9a-fA-F]{6}", "#`).MatchString(app) {
		t.Error("app.js has a palette of its own")
	}
}

// TestServe: on loopback it says where and checks Host headers; elsewhere
// it warns; a cancelled context stops it cleanly.
func TestServe(t *testing.T) {
	_, root, _ := newServer(t)
	for _, tc := range []struct {
		addr     string
		loopback bool
	}{{"127.0.0.1:0", true}, {"0.0.0.0:0", false}} {
		s, err := New(root)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var out strings.Builder
		done := make(chan error, 1)
		addr := make(chan string, 1)
		go func() { done <- s.Serve(ctx, tc.addr, &out, func(a string) { addr <- a }) }()
		a := <-addr
		_, port, _ := net.SplitHostPort(a)
		code, body := get(t, "http://127.0.0.1:"+port+"/api/runs")
		cancel()
		if err := <-done; err != nil {
			t.Errorf("%s: Serve: %v", tc.addr, err)
		}
		if code != 200 || !strings.Contains(body, `"live"`) {
			t.Errorf("%s: GET /api/runs: %d %s", tc.addr, code, body)
		}
		warned := strings.Contains(out.String(), "warning: listening on")
		// Every interface is opened here at 127.0.0.1, not http://[::]:P/.
		if s.Loopback != tc.loopback || warned == tc.loopback || !strings.Contains(out.String(), "on http://127.0.0.1:"+port+"/ ") {
			t.Errorf("%s: loopback %v, printed %q", tc.addr, s.Loopback, out.String())
		}
	}
	if _, err := New(filepath.Join(root, "missing")); err == nil {
		t.Error("New of a missing directory: no error")
	}
}

// writeTableRuns writes, as evonas does, a run on a table (evolve --table
// spirals_mlp, 30 evaluations) into root/trun and a comparison on it
// (compare --table spirals_mlp --seeds 3 --budget 20) into root/tcmp.
func writeTableRuns(t *testing.T, root string) {
	t.Helper()
	cfg := configs.Default()
	cfg.Budget.Evaluations = 30
	r := &run.TableRun{Table: "spirals_mlp", Config: cfg, Source: "default", Strategy: run.GA, Dir: filepath.Join(root, "trun"), Command: "evonas evolve --table spirals_mlp"}
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	tb, err := run.OpenTable("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	c := &run.TableComparison{Kind: run.KindCompare, Title: "Comparison", Variants: []run.Variant{{Name: "default", Config: configs.Default()}},
		Seeds: 3, Budget: 20, Workers: 1, Dir: filepath.Join(root, "tcmp"), Command: "evonas compare --table spirals_mlp"}
	if _, err := c.Run(context.Background(), tb); err != nil {
		t.Fatal(err)
	}
}

// writeComparison writes, as evonas compare does, a comparison of a tiny
// search with random search under 6 seeds into root/cmp.
func writeComparison(t *testing.T, root string) {
	t.Helper()
	cfg := configs.Default()
	for k, v := range map[string]string{"data.name": "xor", "data.rows": "200", "search_space.layers.max": "1", "search_space.width.min": "2", "search_space.width.max": "4",
		"training.epochs": "1", "evolution.population": "4", "evolution.generations": "1", "workers": "1"} {
		if err := configs.Set(&cfg, k, v); err != nil {
			t.Fatal(err)
		}
	}
	c, err := run.NewComparison(run.KindCompare, "Comparison", []run.Variant{{Name: "ga", Config: cfg}}, 6, 8, filepath.Join(root, "cmp"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Create(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestTableRuns: a run and a comparison on a table are listed with their
// table, status and regret; the run's page has its records (numbered),
// summary and the regret of its incumbent, the comparison's its regrets,
// plots and report; one still running (run.json alone) says so.
func TestTableRuns(t *testing.T) {
	ts, root, _ := newServer(t)
	writeTableRuns(t, root)
	writeFile(t, filepath.Join(root, "tlive", run.InfoFile), []byte(`{"version":1,"kind":"compare","command":"c","seeds":2,"budget":9,"variants":[{"name":"default","config":""}],"table":"spirals_mlp"}`))

	code, body := get(t, ts.URL+"/api/runs")
	var list struct{ Runs []RunRow }
	if code != 200 || json.Unmarshal([]byte(body), &list) != nil {
		t.Fatalf("runs: status %d: %s", code, body)
	}
	want := map[string]struct{ kind, strategy, status, metric string }{
		"trun":  {"evolve", "ga", "finished", "final regret"},
		"tcmp":  {"compare", "default", "finished", "median final regret of default"},
		"tlive": {"compare", "default", "running", ""},
	}
	rows := map[string]RunRow{}
	for _, r := range list.Runs {
		rows[r.Path] = r
	}
	for p, w := range want {
		r, ok := rows[p]
		if !ok {
			t.Errorf("%s not listed: %s", p, body)
			continue
		}
		if r.Kind != w.kind || r.Strategy != w.strategy || r.Status != w.status || r.Metric != w.metric || r.Table != "spirals_mlp" || r.Data != "spirals_mlp" || r.Error != "" {
			t.Errorf("%s: %+v; want %+v on table spirals_mlp", p, r, w)
		}
	}
	if r := rows["trun"]; r.Evaluations != 30 || !(r.BestMetric >= 0 && r.BestMetric < 0.3) {
		t.Errorf("trun: %d evaluations, regret %v; want 30 and a regret", r.Evaluations, r.BestMetric)
	}
	if r := rows["tcmp"]; r.Evaluations != 3*20*2 {
		t.Errorf("tcmp: %d evaluations, want %d", r.Evaluations, 3*20*2)
	}

	var s struct {
		Search
		Regret []*float64 `json:"regret"`
	}
	code, body = get(t, ts.URL+"/api/run?p=trun")
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil {
		t.Fatalf("run: status %d: %s", code, body)
	}
	if s.Table != "spirals_mlp" || s.Data != "spirals_mlp" || s.Status != "finished" || s.Metric != "accuracy" || s.Field != "acc" || !s.Maximize || len(s.Errors) != 0 || len(s.Generations) != 0 || s.Summary != nil {
		t.Errorf("run: table %q, data %q, status %s, metric %q (%s), errors %v, %d generations, summary %v", s.Table, s.Data, s.Status, s.Metric, s.Field, s.Errors, len(s.Generations), s.Summary)
	}
	if s.TableSummary == nil || len(s.Records) != 30 || len(s.Regret) != 30 {
		t.Fatalf("run: summary %v, %d records, %d regrets; want the summary, 30 and 30", s.TableSummary, len(s.Records), len(s.Regret))
	}
	if last := s.Regret[29]; last == nil || *last != s.TableSummary.Regret {
		t.Errorf("regret after the last evaluation %v, summary's %g", last, s.TableSummary.Regret)
	}
	for i, r := range s.Records {
		if r.Index != i {
			t.Fatalf("record %d has index %d", i, r.Index)
		}
	}
	if code, _ := get(t, ts.URL+"/api/compare?p=trun"); code != 400 {
		t.Errorf("compare of a table run: status %d, want 400", code)
	}

	var c Comparison
	code, body = get(t, ts.URL+"/api/compare?p=tcmp")
	if code != 200 || json.Unmarshal([]byte(body), &c) != nil {
		t.Fatalf("compare: status %d: %s", code, body)
	}
	if c.Table != "spirals_mlp" || c.Status != "finished" || c.Seeds != 3 || c.Budget != 20 || c.Summary != nil || len(c.Members) != 0 || len(c.Errors) != 0 || c.Title != "Comparison on table spirals_mlp" {
		t.Errorf("compare: %+v", c)
	}
	if c.TableSummary == nil || len(c.TableSummary.Strategies) != 2 || c.TableSummary.Strategies[1].Name != "random" || len(c.TableSummary.Strategies[0].Regrets) != 3 {
		t.Fatalf("compare: table summary %+v; want default and random over 3 seeds", c.TableSummary)
	}
	if c.Report != "tcmp/report.md" || len(c.Plots) != 1 || c.Plots[0] != "tcmp/curves.svg" {
		t.Errorf("compare: report %q, plots %v; want tcmp/report.md, [tcmp/curves.svg]", c.Report, c.Plots)
	}
	if code, body := get(t, ts.URL+"/file?p="+c.Report); code != 200 || !strings.Contains(body, "| strategy | final regret median") {
		t.Errorf("report.md: status %d: %s", code, body)
	}
	if code, body := get(t, ts.URL+"/file?p="+c.Plots[0]); code != 200 || !strings.Contains(body, "<svg") {
		t.Errorf("curves.svg: status %d", code)
	}
	if code, _ := get(t, ts.URL+"/api/run?p=tcmp"); code != 400 {
		t.Errorf("run of a table comparison: status %d, want 400", code)
	}
	c = Comparison{}
	code, body = get(t, ts.URL+"/api/compare?p=tlive")
	if code != 200 || json.Unmarshal([]byte(body), &c) != nil || c.Status != "running" || c.TableSummary != nil || c.Report != "" || len(c.Errors) != 0 {
		t.Errorf("a table comparison running: status %d: %s", code, body)
	}
}

// TestFinishedBest: the runs list gives a running search's best single
// training, and a finished one's winner as summary.json names it, which
// with objective.repeats can be below the best single training.
func TestFinishedBest(t *testing.T) {
	root := filepath.Join(t.TempDir(), "runs")
	dir := filepath.Join(root, "done")
	writeSearch(t, dir, []fitness.Record{record(0, 0, 0.8), record(1, 0, 0.95)}, "", false)
	bestOf := func() float64 {
		s, err := New(root)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s)
		defer ts.Close()
		_, body := get(t, ts.URL+"/api/runs")
		var out struct{ Runs []RunRow }
		if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Runs) != 1 {
			t.Fatalf("runs %s: %v", body, err)
		}
		return float64(out.Runs[0].BestMetric)
	}
	if got := bestOf(); got != 0.95 {
		t.Errorf("running: best %v, want 0.95, the best training's", got)
	}
	winner := 0.9
	sum, _ := json.Marshal(run.Summary{Best: run.Candidate{Key: record(1, 0, 0).Key, ValAcc: &winner}})
	writeFile(t, filepath.Join(dir, run.SummaryFile), sum)
	if got := bestOf(); got != winner {
		t.Errorf("finished: best %v, want %v, the winner's in summary.json", got, winner)
	}
}

// TestRunningBestFull: a running search's best validation metric is a
// full training's, not that of one stopped early by multi-fidelity.
func TestRunningBestFull(t *testing.T) {
	early := record(2, 0, 0.99)
	early.Partial, early.Stopped = true, "halving: rung 1 of 3, 1 epochs"
	p := progressFrom([]fitness.Record{record(0, 0, 0.8), early, record(1, 0, 0.9)}, nil)
	if p.best != 0.9 {
		t.Errorf("best %v, want 0.9 (0.99 is a partial training's)", p.best)
	}
	if p.evaluations != 3 {
		t.Errorf("%d evaluations, want 3", p.evaluations)
	}
}

// TestRecordsInPages: /api/run gives a search's records a page at a time,
// so that one request of a search of 100,000 evaluations does not build a
// response of them all; the page asks for the rest from since= on.
func TestRecordsInPages(t *testing.T) {
	root := filepath.Join(t.TempDir(), "runs")
	n := maxRecords + 3
	recs := make([]fitness.Record, n)
	for i := range recs {
		recs[i] = record(i, 0, 0.5)
	}
	writeSearch(t, filepath.Join(root, "big"), recs, "", false)
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, tc := range []struct{ since, want int }{{0, maxRecords}, {maxRecords, 3}, {n, 0}} {
		var out Search
		code, body := get(t, ts.URL+"/api/run?p=big&since="+strconv.Itoa(tc.since))
		if code != 200 || json.Unmarshal([]byte(body), &out) != nil {
			t.Fatalf("since %d: status %d", tc.since, code)
		}
		if out.Since != tc.since || out.Total != n || len(out.Records) != tc.want || (tc.want > 0 && out.Records[0].Index != tc.since) {
			t.Errorf("since %d: since %d, total %d, %d records; want since %d, total %d, %d records from index %d", tc.since, out.Since, out.Total, len(out.Records), tc.since, n, tc.want, tc.since)
		}
	}
}

// TestBalancedRun: a search that selected on balanced accuracy (its records
// carry bal_acc) is shown by it: the runs list's metric and best, the
// search's metric and the records' field the pages plot.
func TestBalancedRun(t *testing.T) {
	root := filepath.Join(t.TempDir(), "runs")
	var recs []fitness.Record
	for i, bal := range []float64{0.6, 0.75} {
		r := record(i, 0, 0.9)
		r.Val.BalAcc, r.Val.Balanced, r.Test.BalAcc, r.Test.Balanced = bal, true, bal-0.1, true
		r.Fitness = 1 - bal
		recs = append(recs, r)
	}
	writeSearch(t, filepath.Join(root, "bal"), recs, "", false)
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)

	var list struct{ Runs []RunRow }
	if code, body := get(t, ts.URL+"/api/runs"); code != 200 || json.Unmarshal([]byte(body), &list) != nil {
		t.Fatalf("status %d: %s", code, body)
	}
	if len(list.Runs) != 1 || list.Runs[0].Metric != "balanced accuracy" || float64(list.Runs[0].BestMetric) != 0.75 {
		t.Errorf("runs %+v, want one, best balanced accuracy 0.75", list.Runs)
	}
	var run Search
	if code, body := get(t, ts.URL+"/api/run?p=bal"); code != 200 || json.Unmarshal([]byte(body), &run) != nil {
		t.Fatalf("status %d: %s", code, body)
	}
	if run.Metric != "balanced accuracy" || run.Field != "bal_acc" || !run.Maximize {
		t.Errorf("metric %q field %q maximize %v, want balanced accuracy, bal_acc, true", run.Metric, run.Field, run.Maximize)
	}
}
