// Package ui serves evonas's dashboard: a read-only web view of the runs,
// comparisons and sweeps under a directory, which it reads only through
// package run. Its pages and scripts are embedded (no network needed);
// the browser polls JSON endpoints, so a run still being written shows
// its progress within about a second.
//
// The endpoints, all GET:
//
//	/                 the page (runs list, run, comparison: the browser routes)
//	/palette.js       the colours of the series, report.Palette's: a
//	                  strategy has the same on the page and in the report's plots
//	/api/runs         every run under the directory, with its status
//	/api/run?p=REL    a search: its generations, summary and records from
//	                  index since= on, up to maxRecords of them (the
//	                  browser asks for the new ones, and the rest)
//	/api/compare?p=REL a comparison or sweep: its members' progress and summary
//	/file?p=REL       a comparison's plots (PNG, SVG) and report.md
//
// REL is a path relative to the directory; anything that resolves outside
// it (.., a symlink out, an absolute path) is refused.
package ui

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/table"
)

//go:embed assets
var assets embed.FS

// Server is the dashboard of the runs under Root.
type Server struct {
	root     string // as given
	realRoot string // symlinks resolved
	mux      *http.ServeMux
	cache    *cache
	// Loopback, when set, accepts only requests addressed to a loopback
	// name (Host header), so that a page of another site cannot reach the
	// dashboard through DNS rebinding.
	Loopback bool
}

// New returns the dashboard of the runs under root, which must be a
// directory.
func New(root string) (*Server, error) {
	fi, err := os.Stat(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("ui: %s: no such directory (--dir names the directory of runs)", root)
	}
	if err != nil {
		return nil, fmt.Errorf("ui: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("ui: %s is not a directory", root)
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("ui: %w", err)
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return nil, fmt.Errorf("ui: %w", err)
	}
	s := &Server{root: root, realRoot: real, mux: http.NewServeMux(), cache: newCache()}
	static, _ := fs.Sub(assets, "assets")
	s.mux.Handle("/", http.FileServerFS(static))
	s.mux.HandleFunc("/palette.js", palette)
	s.mux.HandleFunc("/api/runs", s.runs)
	s.mux.HandleFunc("/api/run", s.search)
	s.mux.HandleFunc("/api/compare", s.compare)
	s.mux.HandleFunc("/file", s.file)
	return s, nil
}

// palette serves palette.js: COLORS, the report's palette (report.Palette),
// so that the pages draw each strategy in the colour the report's plots,
// shown below them, give it.
func palette(w http.ResponseWriter, r *http.Request) {
	b, _ := json.Marshal(report.PaletteHex())
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	fmt.Fprintf(w, "\"use strict\";\n// The colours of the series: report.Palette, as the report's plots draw them.\nconst COLORS = %s;\n", b)
}

// IsLoopback reports whether addr (host:port) listens only on loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "read-only: "+r.Method+" not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.Loopback && !IsLoopback(hostPort(r.Host)) {
		http.Error(w, "this dashboard answers requests for localhost only", http.StatusForbidden)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

func hostPort(h string) string {
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	return net.JoinHostPort(strings.Trim(h, "[]"), "80")
}

// errOutside is a path that does not resolve under the root.
var errOutside = errors.New("not under the runs directory")

// resolve turns rel, a slash-separated path relative to the root, into a
// path under the root, refusing .. elements, absolute paths and anything
// whose symlinks lead out of the root.
func (s *Server) resolve(rel string) (string, error) {
	if strings.ContainsRune(rel, 0) || strings.Contains(rel, "\\") || filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") {
		return "", errOutside
	}
	for _, e := range strings.Split(rel, "/") {
		if e == ".." {
			return "", errOutside
		}
	}
	p := filepath.Join(s.root, filepath.FromSlash(rel))
	if err := s.inside(p); err != nil {
		return "", err
	}
	return p, nil
}

// inside checks that p, once its symlinks are resolved, is under the root.
func (s *Server) inside(p string) error {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return err
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return err
	}
	if real != s.realRoot && !strings.HasPrefix(real, s.realRoot+string(filepath.Separator)) {
		return errOutside
	}
	return nil
}

// runFiles are the files of a run directory the dashboard reads.
var runFiles = []string{run.InfoFile, run.ConfigFile, run.EvaluationsFile, run.GenerationsFile, run.CheckpointFile, run.SummaryFile}

// sealed checks that the run directory p and the files of it the
// dashboard reads are under the root: a run whose evaluations.jsonl or
// config.yaml is a symlink out of the tree would show what is there.
func (s *Server) sealed(p string) error {
	if err := s.inside(p); err != nil {
		return err
	}
	for _, f := range runFiles {
		if err := s.inside(filepath.Join(p, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// rel is p relative to the root, with slashes, for links.
func (s *Server) rel(p string) string {
	r, err := filepath.Rel(s.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

func (s *Server) open(w http.ResponseWriter, r *http.Request) (*run.Dir, bool) {
	p, err := s.resolve(r.URL.Query().Get("p"))
	if err == nil {
		err = s.sealed(p)
	}
	if errors.Is(err, errOutside) {
		http.Error(w, "forbidden: "+err.Error(), http.StatusForbidden)
		return nil, false
	}
	if err != nil {
		http.Error(w, "no such run", http.StatusNotFound)
		return nil, false
	}
	d, err := run.Open(p)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return nil, false
	}
	return d, true
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// num is a float that is null in JSON when not finite.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// RunRow is a line of the runs list.
type RunRow struct {
	Path        string    `json:"path"`
	Kind        string    `json:"kind"`
	Strategy    string    `json:"strategy"`
	Data        string    `json:"data"`
	Table       string    `json:"table,omitempty"` // a run on a table: its name, also in Data
	Title       string    `json:"title,omitempty"`
	Status      string    `json:"status"`
	Evaluations int       `json:"evaluations"`
	BestMetric  num       `json:"best_metric"`
	Metric      string    `json:"metric"`
	Started     time.Time `json:"started"`
	Error       string    `json:"error,omitempty"`
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	dirs, err := run.List(s.root)
	rows := []RunRow{}
	for _, d := range dirs {
		if s.sealed(d.Path) != nil {
			continue
		}
		rows = append(rows, s.row(d))
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	writeJSON(w, struct {
		Root  string   `json:"root"`
		Runs  []RunRow `json:"runs"`
		Error string   `json:"error,omitempty"`
	}{s.root, rows, msg})
}

// row summarises a run; what cannot be read is said in its Error.
func (s *Server) row(d *run.Dir) RunRow {
	row := RunRow{Path: s.rel(d.Path), Kind: d.Info.Kind, Strategy: d.Info.Strategy, Title: d.Info.Title,
		Started: d.Started(), BestMetric: num(math.NaN())}
	var errs []error
	st, err := d.Status()
	row.Status = string(st)
	errs = append(errs, err)
	if d.IsTable() {
		errs = append(errs, s.tableRow(d, &row))
	} else if d.IsComparison() {
		ms, err := d.Members()
		errs = append(errs, err)
		names := []string{}
		for _, v := range d.Info.Variants {
			names = append(names, v.Name)
		}
		row.Strategy = strings.Join(names, ", ")
		var first *run.Dir
		for _, m := range ms {
			if s.sealed(m.Dir.Path) != nil {
				continue
			}
			if first == nil {
				first = m.Dir
			}
			p := s.cache.progressOf(m.Dir)
			row.Evaluations += p.evaluations
			errs = append(errs, p.err)
			if p.task != "" {
				row.Metric = p.metric
			}
			if !math.IsNaN(p.best) && (math.IsNaN(float64(row.BestMetric)) || p.best > float64(row.BestMetric)) {
				row.BestMetric = num(p.best)
			}
		}
		if first != nil {
			if cfg, err := first.Config(); err == nil {
				row.Data = cfg.Data.Name
			}
		}
	} else {
		if cfg, err := d.Config(); err == nil {
			row.Data = cfg.Data.Name
		}
		p := s.cache.progressOf(d)
		row.Evaluations, row.BestMetric, row.Metric = p.evaluations, num(p.best), p.metric
		errs = append(errs, p.err)
	}
	if err := errors.Join(errs...); err != nil {
		row.Error = err.Error()
	}
	return row
}

// tableRow fills in the row of a run or comparison on a table. Its best
// metric is its regret (lower is better): a run's final regret, a
// comparison's median final regret of its first strategy.
func (s *Server) tableRow(d *run.Dir, row *RunRow) error {
	row.Table, row.Data = d.Info.Table, d.Info.Table
	if d.IsComparison() {
		names := []string{}
		for _, v := range d.Info.Variants {
			names = append(names, v.Name)
		}
		row.Strategy = strings.Join(names, ", ")
		sum, err := d.TableComparisonSummary()
		if sum == nil || len(sum.Strategies) == 0 {
			return err
		}
		first := sum.Strategies[0]
		for _, r := range sum.Strategies {
			row.Evaluations += int(math.Round(r.Evaluations * float64(len(r.Regrets))))
		}
		row.BestMetric, row.Metric = num(first.FinalRegret.Median), "median final regret of "+first.Name
		return nil
	}
	p := s.cache.progressOf(d)
	row.Evaluations = p.evaluations
	sum, err := d.TableSummary()
	if sum != nil {
		row.BestMetric, row.Metric = num(sum.Regret), "final regret"
	}
	return errors.Join(p.err, err)
}

type progress struct {
	evaluations int     // trainings (cache hits not counted)
	best        float64 // best validation metric; NaN when none
	task        dataset.Task
	metric      string // its name, "" when the task is unknown
	err         error
}

// progressFrom is how far a search has gone by its records.
func progressFrom(recs []fitness.Record, err error) progress {
	p := progress{best: math.NaN(), err: err, task: run.TaskOf(recs)}
	p.metric = metricName(p.task, recs)
	for _, r := range recs {
		if r.Status != fitness.Cached {
			p.evaluations++
		}
		// A training stopped early by multi-fidelity has a lower
		// fidelity's metric: the best so far is a full training's.
		if r.Status == fitness.OK && !r.Partial {
			if m := r.Val.Metric(p.task); math.IsNaN(p.best) || m > p.best {
				p.best = m
			}
		}
	}
	return p
}

// metricName names the metric of a search's records on task t (accuracy,
// balanced accuracy when it selected on it, R²), "" when t is unknown.
func metricName(t dataset.Task, recs []fitness.Record) string {
	if t == "" {
		return ""
	}
	return fitness.MetricNameOf(t, recs)
}

// metricField is the field of a record's scores that holds the metric
// named (metricName).
func metricField(name string) string {
	switch name {
	case fitness.R2Name:
		return "r2"
	case fitness.BalancedName:
		return "bal_acc"
	}
	return "acc"
}

// Gen is a generation's statistics for the charts.
type Gen struct {
	Generation  int `json:"generation"`
	Best        num `json:"best"`
	Mean        num `json:"mean"`
	Std         num `json:"std"`
	BestSoFar   num `json:"best_so_far"`
	BestMetric  num `json:"best_metric"`
	Evaluations int `json:"evaluations"`
	CacheHits   int `json:"cache_hits"`
	Failed      int `json:"failed"`
	Diversity   num `json:"diversity"`
	Unique      int `json:"unique"`
}

// Search is what /api/run returns.
type Search struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"`
	Strategy string `json:"strategy"`
	Data     string `json:"data"`
	Command  string `json:"command"`
	Config   string `json:"config"`
	Status   string `json:"status"`
	Task     string `json:"task"`
	Metric   string `json:"metric"`
	// Field is the validation score the metric is (val's acc, r2 or loss),
	// Maximize whether higher is better: a loss table's is not.
	Field       string           `json:"field"`
	Maximize    bool             `json:"maximize"`
	Started     time.Time        `json:"started"`
	Generations []Gen            `json:"generations"`
	Since       int              `json:"since"`
	Total       int              `json:"total"`
	Records     []fitness.Record `json:"records"`
	Summary     *run.Summary     `json:"summary"`
	// A run on a table: its name, its summary, and the regret of its
	// incumbent after each evaluation; it has no generations.
	Table        string            `json:"table,omitempty"`
	TableSummary *run.TableSummary `json:"table_summary,omitempty"`
	Regret       []num             `json:"regret,omitempty"`
	Errors       []string          `json:"errors,omitempty"` // what could not be read: the page shows the rest
}

// maxRecords is how many records one /api/run response holds: the page
// asks again from since= on until it has them all. Without a bound, one
// request of a search of 100,000 evaluations built 70 MB of JSON (and six
// at once took the server to 2.3 GB).
const maxRecords = 5000

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	d, ok := s.open(w, r)
	if !ok {
		return
	}
	if d.IsComparison() {
		http.Error(w, "a comparison: see /api/compare", http.StatusBadRequest)
		return
	}
	since, _ := strconv.Atoi(r.URL.Query().Get("since"))
	out := Search{Path: s.rel(d.Path), Started: d.Started(), Records: []fitness.Record{}, Generations: []Gen{}}
	fail := func(err error) {
		if err != nil {
			out.Errors = append(out.Errors, err.Error())
		}
	}
	if d.Info != nil {
		out.Kind, out.Strategy, out.Command = d.Info.Kind, d.Info.Strategy, d.Info.Command
	} else {
		out.Kind, out.Strategy = "search of a comparison", filepath.Base(filepath.Dir(d.Path))
	}
	st, err := d.Status()
	out.Status = string(st)
	fail(err)
	cfg, err := d.Config()
	fail(err)
	out.Data = cfg.Data.Name
	if y, err := cfg.YAML(); err == nil {
		out.Config = string(y)
	}
	recs, err := s.cache.recordsOf(d)
	fail(err)
	task := run.TaskOf(recs)
	out.Task, out.Metric, out.Maximize = string(task), metricName(task, recs), true
	out.Field = metricField(out.Metric)
	out.Total = len(recs)
	since = min(max(since, 0), len(recs))
	out.Since = since
	out.Records = append(out.Records, recs[since:min(since+maxRecords, len(recs))]...)
	gens, err := d.Generations()
	fail(err)
	for _, g := range gens {
		out.Generations = append(out.Generations, Gen{g.Generation, num(g.Best), num(g.GenerationStats.Mean), num(g.GenerationStats.Std),
			num(g.BestSoFar), num(g.BestMetric), g.Evaluations, g.CacheHits, g.Failed, num(g.Diversity), g.Unique})
	}
	if d.IsTable() {
		out.Table, out.Data = d.Info.Table, d.Info.Table
		ts, err := d.TableSummary()
		fail(err)
		out.TableSummary = ts
		if ts != nil {
			out.Metric, out.Field, out.Maximize = tableMetric(ts.Metric)
		}
		out.Regret = []num{}
		for _, r := range table.Regrets(recs) {
			out.Regret = append(out.Regret, num(r))
		}
		writeJSON(w, out)
		return
	}
	sum, err := d.Summary()
	fail(err)
	out.Summary = sum
	writeJSON(w, out)
}

// tableMetric names a table's metric (val_acc, val_r2, val_mse, val_loss),
// the score of a record that holds it and whether higher is better.
func tableMetric(m string) (name, field string, maximize bool) {
	switch m {
	case "val_acc":
		return "accuracy", "acc", true
	case "val_r2":
		return "R²", "r2", true
	case "val_mse":
		return "MSE", "loss", false
	}
	return strings.TrimPrefix(m, "val_"), "loss", false
}

// MemberRow is a search of a comparison.
type MemberRow struct {
	Strategy    string `json:"strategy"`
	Seed        int    `json:"seed"`
	Path        string `json:"path"`
	Status      string `json:"status"`
	Evaluations int    `json:"evaluations"`
	BestMetric  num    `json:"best_metric"`
	// Curve is the best validation metric so far after each training.
	Curve []num `json:"curve"`
}

// Comparison is what /api/compare returns.
type Comparison struct {
	Path    string                 `json:"path"`
	Kind    string                 `json:"kind"`
	Title   string                 `json:"title"`
	Command string                 `json:"command"`
	Status  string                 `json:"status"`
	Seeds   int                    `json:"seeds"`
	Budget  int                    `json:"budget"`
	Metric  string                 `json:"metric"`
	Members []MemberRow            `json:"members"`
	Summary *run.ComparisonSummary `json:"summary"`
	Plots   []string               `json:"plots"` // paths for /file
	// A comparison on a table: its name, its summary (regrets) and its
	// report.md (a path for /file); it has no searches of its own.
	Table        string                      `json:"table,omitempty"`
	TableSummary *run.TableComparisonSummary `json:"table_summary,omitempty"`
	Report       string                      `json:"report,omitempty"`
	Errors       []string                    `json:"errors,omitempty"`
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	d, ok := s.open(w, r)
	if !ok {
		return
	}
	if !d.IsComparison() {
		http.Error(w, "not a comparison: see /api/run", http.StatusBadRequest)
		return
	}
	out := Comparison{Path: s.rel(d.Path), Kind: d.Info.Kind, Title: d.Info.Title, Command: d.Info.Command,
		Seeds: d.Info.Seeds, Budget: d.Info.Budget, Members: []MemberRow{}, Plots: []string{}}
	fail := func(err error) {
		if err != nil {
			out.Errors = append(out.Errors, err.Error())
		}
	}
	st, err := d.Status()
	out.Status = string(st)
	fail(err)
	if d.IsTable() {
		out.Table = d.Info.Table
		sum, err := d.TableComparisonSummary()
		fail(err)
		out.TableSummary = sum
		if sum != nil {
			out.Plots = s.existing(d, "curves.svg", "hypervolume.svg")
			if r := s.existing(d, run.ReportFile); len(r) > 0 {
				out.Report = r[0]
			}
		}
		writeJSON(w, out)
		return
	}
	ms, err := d.Members()
	fail(err)
	for _, m := range ms {
		if s.sealed(m.Dir.Path) != nil {
			continue
		}
		recs, err := s.cache.recordsOf(m.Dir)
		fail(err)
		task := run.TaskOf(recs)
		if task != "" {
			out.Metric = metricName(task, recs)
		}
		row := MemberRow{Strategy: m.Strategy, Seed: m.Seed, Path: s.rel(m.Dir.Path), BestMetric: num(math.NaN()), Curve: []num{}}
		st, err := m.Dir.Status()
		row.Status = string(st)
		fail(err)
		best := math.NaN()
		for _, r := range recs {
			if r.Status == fitness.Cached {
				continue
			}
			if r.Status == fitness.OK && !r.Partial { // as progressFrom
				if v := r.Val.Metric(task); math.IsNaN(best) || v > best {
					best = v
				}
			}
			row.Curve = append(row.Curve, num(best))
		}
		row.Evaluations, row.BestMetric = len(row.Curve), num(best)
		out.Members = append(out.Members, row)
	}
	sum, err := d.ComparisonSummary()
	fail(err)
	out.Summary = sum
	if sum != nil {
		out.Metric = sum.MetricName
		out.Plots = s.existing(d, "curves.svg", "final.png")
	}
	writeJSON(w, out)
}

// existing are the paths for /file of those of d's files that are there.
func (s *Server) existing(d *run.Dir, names ...string) []string {
	out := []string{}
	for _, f := range names {
		if p, err := s.resolve(s.rel(filepath.Join(d.Path, f))); err == nil {
			out = append(out, s.rel(p))
		}
	}
	return out
}

// servable are the files /file serves: a comparison's plots and report.
var servable = map[string]string{".png": "image/png", ".svg": "image/svg+xml", ".md": "text/plain; charset=utf-8"}

func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("p")
	ctype, ok := servable[strings.ToLower(filepath.Ext(rel))]
	if !ok {
		http.Error(w, "forbidden: only plots and reports are served", http.StatusForbidden)
		return
	}
	p, err := s.resolve(rel)
	if errors.Is(err, errOutside) {
		http.Error(w, "forbidden: "+err.Error(), http.StatusForbidden)
		return
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	// An SVG could carry a script: it is shown as an image, never run.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	http.ServeContent(w, r, filepath.Base(p), fi.ModTime(), f)
}
