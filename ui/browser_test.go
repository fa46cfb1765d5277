package ui

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/search"
)

// chromium finds a headless-capable Chromium: $EVONAS_CHROMIUM, else
// chromium or chromium-browser on the PATH.
func chromium(t *testing.T) string {
	if p := os.Getenv("EVONAS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium: apt-get install chromium to run the browser test")
	return ""
}

// slow holds the search back at every evaluation, so that the page sees it
// grow.
type slow struct{ n atomic.Int64 }

func (s *slow) Evaluated(fitness.Record) {
	s.n.Add(1)
	time.Sleep(50 * time.Millisecond)
}
func (s *slow) Generation(search.GenerationStats) {}

// TestBrowser drives headless Chromium against a live dashboard: a search
// runs while the run's page is open; the best-so-far chart must gain
// points, the table sort, and the lineage of the best genome be drawn as
// the run's log says. EVONAS_UI_SHOTS=DIR keeps the screenshots there
// (docs/ui uses them).
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	root := t.TempDir()
	shots := os.Getenv("EVONAS_UI_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	// The search: the shipped seed config, small and slowed down.
	y, err := configs.ReadEmbedded("seed")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configs.Parse(y, "seed")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Workers, cfg.Evolution.Population, cfg.Evolution.Generations, cfg.Seed = 1, 10, 8, 5
	s, err := run.New(cfg, run.GA, 0, filepath.Join(root, "live"))
	if err != nil {
		t.Fatal(err)
	}
	s.SkipBest = true
	obs := &slow{}
	s.Observer = obs
	if err := s.Create("evonas evolve --config seed (browser test)"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	searched := make(chan error, 1)

	srv, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go srv.Serve(ctx, "127.0.0.1:0", io.Discard, func(a string) { addr <- a })
	base := "http://" + <-addr

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	// The browser first (it can take seconds to start), then the search.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	// Every uncaught exception of the pages is an error; a probe shows the
	// listener hears them.
	var mu sync.Mutex
	var exceptions []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*cdpruntime.EventExceptionThrown); ok {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			mu.Lock()
			exceptions = append(exceptions, msg)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	heard := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), exceptions...)
	}
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => { throw new Error("probe") }, 0)`), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if ex := heard(); len(ex) != 1 || !strings.Contains(ex[0], "probe") {
		t.Fatalf("the exception listener heard %q, want the probe", ex)
	}
	mu.Lock()
	exceptions = nil
	mu.Unlock()
	defer func() {
		if ex := heard(); len(ex) > 0 {
			t.Errorf("the pages threw: %q", ex)
		}
	}()
	go func() { _, _, err := s.Run(ctx); searched <- err }()
	defer func() { cancel(); <-searched }()
	for obs.n.Load() == 0 {
		time.Sleep(20 * time.Millisecond)
	}
	step := func(what string, a ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, a...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) float64 {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[float64](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	step("open the run's page", chromedp.Navigate(base+"/#/run/live"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#c-best") && +document.querySelector("#c-best").dataset.points > 0`, chromedp.WithPollingTimeout(10*time.Second)))
	first := eval(`+document.querySelector("#c-best").dataset.points`)
	t.Logf("the chart has %v points after %d evaluations", first, obs.n.Load())
	step("wait for the live chart to grow", chromedp.Poll[chromedp.Void](`+document.querySelector("#c-best").dataset.points > `+strconv.FormatFloat(first, 'f', -1, 64), chromedp.WithPollingTimeout(10*time.Second)))
	if st := eval(`document.querySelector(".status.running") ? 1 : 0`); st != 1 {
		t.Error("the live run's page does not say running")
	}

	// Sort by validation metric, best first, then the other way.
	sorted := `(() => { const v = [...document.querySelectorAll("#tbody tr[data-i] td:nth-child(4)")].map(td => parseFloat(td.textContent)).filter(x => !isNaN(x));
		for (let i = 1; i < v.length; i++) if (DIR * (v[i] - v[i-1]) < 0) return -1; return v.length; })()`
	step("sort", chromedp.Click(`th[data-k="metric"]`))
	if n := eval(strings.ReplaceAll(sorted, "DIR", "-1")); n < 5 {
		t.Errorf("table sorted by val, best first: %v (want 5 or more rows in order)", n)
	}
	if eval(`document.querySelector('th[data-k="metric"]').classList.contains("sorted-desc") ? 1 : 0`) != 1 {
		t.Error("sorted column not marked")
	}
	step("sort back", chromedp.Click(`th[data-k="metric"]`))
	if n := eval(strings.ReplaceAll(sorted, "DIR", "1")); n < 5 {
		t.Errorf("table sorted by val ascending: %v", n)
	}

	// When the run ends, the page says so and has every record.
	select {
	case err := <-searched:
		searched <- err
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("the search did not end")
	}
	d, _ := run.Open(filepath.Join(root, "live"))
	recs, err := d.Records()
	if err != nil {
		t.Fatal(err)
	}
	step("wait for the end", chromedp.Poll[chromedp.Void](`document.querySelector(".status.finished") && document.querySelector("#count").textContent.endsWith(" `+strconv.Itoa(len(recs))+`")`, chromedp.WithPollingTimeout(5*time.Second)))
	step("screenshot the page", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	shot(t, bctx, chromedp.CaptureScreenshot(), filepath.Join(shots, "run.png"))

	// The lineage of the best genome, as many nodes as its ancestry in the log.
	step("lineage", chromedp.Click(`#best-btn`), chromedp.Click(`#lineage-btn`),
		chromedp.Poll[chromedp.Void](`document.querySelector("#lineage svg")`, chromedp.WithPollingTimeout(5*time.Second)))
	want := ancestry(recs)
	if got := eval(`+document.querySelector("#lineage svg").dataset.nodes`); int(got) != want {
		t.Errorf("lineage of the best: %v nodes, want %d", got, want)
	}
	if want < 2 {
		t.Errorf("the best genome has %d nodes of lineage: the test wants one made by evolution", want)
	}
	shot(t, bctx, chromedp.Screenshot(`#lineage-card`), filepath.Join(shots, "lineage.png"))
	step("scroll to the table", chromedp.Evaluate[chromedp.Void](`document.querySelector("#vt").closest(".card").scrollIntoView({block: "start"})`))
	shot(t, bctx, chromedp.CaptureScreenshot(), filepath.Join(shots, "table.png"))
	step("runs list", chromedp.Navigate(base+"/#/"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#runs-table .status.finished")`, chromedp.WithPollingTimeout(5*time.Second)))

	// Runs just begun and interrupted render too.
	writeSearch(t, filepath.Join(root, "empty"), nil, "", false)
	writeSearch(t, filepath.Join(root, "stopped"), []fitness.Record{record(0, 0, 0.7)}, `{"ind`, true)
	for _, p := range []struct{ path, status string }{{"empty", "running"}, {"stopped", "interrupted"}} {
		step("open "+p.path, chromedp.Navigate(base+"/#/run/"+p.path),
			chromedp.Poll[chromedp.Void](`document.querySelector("#meta .status.`+p.status+`")`, chromedp.WithPollingTimeout(5*time.Second)))
	}

	// A chart with nothing to draw says why, and the header's best metric
	// comes from the records while no generation has ended: a run begun
	// (no record), and one whose generation is still open, with a failed
	// candidate (no parameter count) and a successful one.
	step("open a run with no record", chromedp.Navigate(base+"/#/run/empty"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#c-best").dataset.empty === "no evaluation yet"`, chromedp.WithPollingTimeout(5*time.Second)))
	if got := eval(`document.querySelector("#pareto-card").offsetParent !== null && document.querySelector("#c-pareto").dataset.empty === "no evaluation yet" ? 1 : 0`); got != 1 {
		t.Error("a run with no record: the Pareto plot is hidden or does not say why it is empty")
	}
	failed := record(1, 0, 0)
	failed.Status, failed.Reason, failed.Fitness, failed.Params, failed.Val, failed.Curve = fitness.Invalid, "too big", math.Inf(1), 0, fitness.Scores{}, nil
	writeSearch(t, filepath.Join(root, "open"), []fitness.Record{record(0, 0, 0.7), failed}, "", false)
	writeFile(t, filepath.Join(root, "open", run.GenerationsFile), nil)
	step("open a run in its first generation", chromedp.Navigate(base+"/#/run/open"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#count").textContent.startsWith("2 of 2")`, chromedp.WithPollingTimeout(5*time.Second)))
	if eval(`document.querySelector("#meta").textContent.includes("best accuracy so far 0.7000") ? 1 : 0`) != 1 {
		t.Errorf("a run in its first generation: the header %q does not give the records' best, 0.7000", eval2(bctx, t, `document.querySelector("#meta").textContent`))
	}
	if got := eval2(bctx, t, `document.querySelector("#c-gen").dataset.empty + "|" + document.querySelector("#c-div").dataset.empty`); got != "no generation has ended yet|no generation has ended yet" {
		t.Errorf("a run in its first generation: the generations and diversity charts say %q, want why they are empty", got)
	}

	// Runs named with what a URL reserves (?, #, %, a space) open from the
	// runs list, and a hash with a bad escape shows the runs list.
	for _, name := range []string{"a?b", "c#d 50%"} {
		writeSearch(t, filepath.Join(root, name), []fitness.Record{record(0, 0, 0.6)}, "", false)
		link := `[...document.querySelectorAll("#runs-table a")].find(a => a.textContent === ` + strconv.Quote(name) + `)`
		step("open "+name+" from the runs list", chromedp.Navigate(base+"/#/"),
			chromedp.Poll[chromedp.Void](link, chromedp.WithPollingTimeout(5*time.Second)),
			chromedp.Evaluate[chromedp.Void](link+`.click()`),
			chromedp.Poll[chromedp.Void](`document.querySelector("#title").textContent === `+strconv.Quote(name)+` && document.querySelector("#count").textContent === "1 of 1"`, chromedp.WithPollingTimeout(5*time.Second)))
	}
	step("a bad escape", chromedp.Navigate(base+"/#/run/%E0%A4%A"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#runs-table")`, chromedp.WithPollingTimeout(5*time.Second)))

	// A run and a comparison on a table: the run's page shows the regret
	// of its incumbent and hides what a table does not record; the
	// comparison's shows its regret table and the command's plot.
	writeTableRuns(t, root)
	step("open a table run", chromedp.Navigate(base+"/#/run/trun"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#meta .status.finished") && +document.querySelector("#c-gen").dataset.points === 30`, chromedp.WithPollingTimeout(5*time.Second)))
	if got := eval(`["#div-card", "#curve-card", "#lineage-card", "#lineage-btn"].filter(id => document.querySelector(id).offsetParent === null).length + (document.querySelector("#h-gen").textContent.startsWith("Regret") ? 1 : 0) + (document.querySelector("#meta").textContent.includes("on table spirals_mlp") ? 1 : 0)`); got != 6 {
		t.Errorf("a table run's page: %v of 6 checks (diversity, learning curve, lineage hidden; regret chart; table named)", got)
	}
	shot(t, bctx, chromedp.CaptureScreenshot(), filepath.Join(shots, "table-run.png"))
	step("open a table comparison", chromedp.Navigate(base+"/#/compare/tcmp"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#regret-table tbody tr").length === 2 && document.querySelector("#plots img.plot") && document.querySelector("#plots img.plot").complete`, chromedp.WithPollingTimeout(5*time.Second)))
	if got := eval(`document.querySelector("#plots img.plot").naturalWidth`); got == 0 {
		t.Error("a table comparison's curves.svg did not load")
	}
	shot(t, bctx, chromedp.CaptureScreenshot(), filepath.Join(shots, "table-compare.png"))

	// A comparison's tests give the paired test's direction: how many
	// pairs go to the strategy (a paired p alone does not say which won).
	writeComparison(t, root)
	step("open a comparison", chromedp.Navigate(base+"/#/compare/cmp"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#tests tbody tr").length === 2`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := eval2(bctx, t, `document.querySelector("#tests tbody tr").textContent`); !regexp.MustCompile(`\(\d+ pairs, \d+ to ga\)`).MatchString(got) {
		t.Errorf("a comparison's first test %q does not give the pairs that go to ga", got)
	}
	// The report's curves.svg fits its box on the page, and its text fits
	// the SVG along the text's direction (across it, a font's ascent may
	// differ a little): drawn in a browser's fonts (no Liberation on
	// Debian), the title and legend ran past its right edge and were
	// clipped.
	step("the report's plots", chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("#plots img.plot")].length === 2 && [...document.querySelectorAll("#plots img.plot")].every(i => i.complete && i.naturalWidth > 0)`, chromedp.WithPollingTimeout(5*time.Second)))
	if got := eval2(bctx, t, `[...document.querySelectorAll("#plots img.plot")].filter(i => { const r = i.getBoundingClientRect(), c = i.closest(".card").getBoundingClientRect(); return r.left < c.left || r.right > c.right; }).map(i => i.alt).join(" ")`); got != "" {
		t.Errorf("the report's plots %s overflow their box on the comparison page", got)
	}
	outside := eval2(bctx, t, `(() => {
		const x = new XMLHttpRequest(); x.open("GET", "file?p=" + encodeURIComponent("cmp/curves.svg"), false); x.send();
		const box = document.createElement("div"); box.style.cssText = "position:absolute;left:0;top:0";
		box.innerHTML = x.responseText.replace(/^<\?xml[^>]*>/, ""); document.body.appendChild(box);
		const svg = box.querySelector("svg"), r = svg.getBoundingClientRect(), texts = [...svg.querySelectorAll("text")];
		const out = texts.filter(t => { const b = t.getBoundingClientRect(); return b.width === 0 || (b.height > b.width ? b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5 : b.left < r.left - 0.5 || b.right > r.right + 0.5); }).map(t => { const b = t.getBoundingClientRect(); return t.textContent + " [" + [b.left - r.left, b.right - r.right, b.top - r.top, b.bottom - r.bottom].map(v => v.toFixed(1)) + "]"; });
		box.remove();
		return texts.length ? out.join(" | ") : "no text";
	})()`)
	if outside != "" {
		t.Errorf("curves.svg drawn by the browser: text past the image's edge: %s", outside)
	}
	shot(t, bctx, chromedp.Screenshot(`#plots`), filepath.Join(shots, "compare-plots.png"))

	// Each strategy has the colour the report's plots below give it
	// (report.Palette, in the summary's order).
	var wantRGB []string
	for i := range 2 {
		c := report.Color(i)
		wantRGB = append(wantRGB, fmt.Sprintf("rgb(%d, %d, %d)", c.R, c.G, c.B))
	}
	if got := eval2(bctx, t, `[...document.querySelectorAll("#l-curves i")].map(i => getComputedStyle(i).backgroundColor).join("|")`); got != strings.Join(wantRGB, "|") {
		t.Errorf("a comparison's curves are drawn in %q, want the report's palette %q", got, strings.Join(wantRGB, "|"))
	}

	// A search of 10,000 evaluations: the page loads, sorts and filters
	// quickly (the bounds are loose: the machine is shared).
	big := make([]fitness.Record, 10000)
	for i := range big {
		big[i] = record(i, i/100, 0.5+0.5*float64((i*7919)%10000)/10000)
	}
	writeSearch(t, filepath.Join(root, "big"), big, "", false)
	start := time.Now()
	step("open 10,000 evaluations", chromedp.Navigate(base+"/#/run/big"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#count") && document.querySelector("#count").textContent === "10000 of 10000"`, chromedp.WithPollingTimeout(20*time.Second)))
	loaded := time.Since(start)
	ms := func(expr string) float64 {
		return eval(`(() => { const t = performance.now(); ` + expr + `; return performance.now() - t; })()`)
	}
	sortMs := ms(`document.querySelector('th[data-k="metric"]').click()`)
	if n := eval(strings.ReplaceAll(sorted, "DIR", "-1")); n < 10 {
		t.Errorf("10,000 rows sorted by val: %v rows in order", n)
	}
	filterMs := ms(`const f = document.querySelector("#filter"); f.value = "metric>0.99"; f.dispatchEvent(new Event("input"))`)
	want99 := 0
	for _, r := range big {
		if r.Val.Acc > 0.99 {
			want99++
		}
	}
	if got := eval(`+document.querySelector("#count").textContent.split(" ")[0]`); int(got) != want99 {
		t.Errorf("filter metric>0.99: %v rows, want %d", got, want99)
	}
	rows := eval(`document.querySelectorAll("#tbody tr[data-i]").length`)
	t.Logf("10,000 evaluations: page loaded in %v, sorted in %.0f ms, filtered in %.0f ms, %v rows in the DOM", loaded.Round(time.Millisecond), sortMs, filterMs, rows)
	if loaded > 15*time.Second || sortMs > 2000 || filterMs > 2000 || rows > 100 {
		t.Errorf("10,000 evaluations: loaded in %v, sorted in %.0f ms, filtered in %.0f ms, %v rows in the DOM: too slow or not virtual", loaded, sortMs, filterMs, rows)
	}
}

// ancestry counts the best genome (the first with the lowest fitness) and
// its ancestors, each architecture once, as the page draws them: the
// parents of an architecture are those of its first record.
func ancestry(recs []fitness.Record) int {
	made := map[string]fitness.Record{}
	var best *fitness.Record
	for i, r := range recs {
		if _, ok := made[r.Key]; !ok {
			made[r.Key] = r
		}
		if !math.IsInf(r.Fitness, 0) && (best == nil || r.Fitness < best.Fitness) {
			best = &recs[i]
		}
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(key string) {
		if seen[key] {
			return
		}
		seen[key] = true
		for _, p := range made[key].Parents {
			visit(p)
		}
	}
	visit(best.Key)
	return len(seen)
}

func shot(t *testing.T, ctx context.Context, a chromedp.Action[[]byte], path string) {
	t.Helper()
	b, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if r := img.Bounds(); r.Dx() < 300 || r.Dy() < 100 {
		t.Errorf("screenshot %s: %v, too small", path, r)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// eval2 evaluates a string expression in the page.
func eval2(ctx context.Context, t *testing.T, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
