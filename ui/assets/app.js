// evonas dashboard: plain JavaScript, no dependencies. Charts are drawn on
// canvases, the lineage as SVG. Pages poll the server's JSON endpoints.
"use strict";

const $ = (sel, el) => (el || document).querySelector(sel);
const main = $("#main");
let timer = null; // the current page's polling
// COLORS, the colours of the series, is palette.js's: the report's plots'
// palette (report.Palette), so a strategy is drawn alike on the page and in
// the plots below it.

function esc(s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function fmt(x, d) {
  if (x == null || Number.isNaN(x)) return "–";
  if (typeof x !== "number") return esc(x);
  if (Number.isInteger(x)) return String(x);
  return x.toPrecision(d || 4);
}
function when(t) {
  if (!t || t.startsWith("0001")) return "–";
  const d = new Date(t);
  return d.toLocaleString();
}
// pathHash is a run's path for a link's hash: each part escaped, so that
// a ?, # or % in a directory's name is not read as the hash's own.
function pathHash(p) { return p.split("/").map(encodeURIComponent).join("/"); }
function statusBadge(s) { return `<span class="status ${esc(s)}">${esc(s || "?")}</span>`; }
async function getJSON(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(url + ": " + r.status + " " + (await r.text()));
  return r.json();
}
// poll calls fn every ms, and again at once when it returns true (the
// server has more to send than one response holds).
function poll(fn, ms) {
  clearTimeout(timer);
  const tick = async () => {
    const me = timer;
    let more = false;
    try { more = await fn() === true; $("#live").textContent = more ? "loading…" : "updated " + new Date().toLocaleTimeString(); }
    catch (e) { $("#live").textContent = String(e.message || e); }
    if (timer === me) timer = setTimeout(tick, more ? 0 : ms);
  };
  timer = setTimeout(tick, 0);
}

// ---------- charts ----------

// canvasFor sizes a canvas for the device's pixels and returns its context.
function canvasFor(cv, h) {
  const w = cv.clientWidth || 600, r = window.devicePixelRatio || 1;
  cv.style.height = h + "px";
  if (cv.width !== Math.round(w * r) || cv.height !== Math.round(h * r)) { cv.width = Math.round(w * r); cv.height = Math.round(h * r); }
  const g = cv.getContext("2d");
  g.setTransform(r, 0, 0, r, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}
function extent(vals, pad) {
  let lo = Infinity, hi = -Infinity;
  for (const v of vals) if (v != null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) { lo -= 0.5 * (Math.abs(lo) || 1); hi += 0.5 * (Math.abs(hi) || 1); }
  const p = (hi - lo) * (pad || 0.04);
  return [lo - p, hi + p];
}
function ticks(lo, hi, n) {
  const step0 = (hi - lo) / (n || 5), mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0) || step0;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(+v.toPrecision(12));
  return out;
}

// logTicks are the exponents of 1, 2 and 5 times powers of ten between
// 10^lo and 10^hi, thinned to a readable number.
function logTicks(lo, hi) {
  for (const ms of [[1, 2, 5], [1, 3], [1]]) {
    const out = [];
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) for (const m of ms) { const v = k + Math.log10(m); if (v >= lo && v <= hi) out.push(v); }
    if (out.length <= 8) return out;
  }
  return [];
}

function logLabel(x) {
  if (x >= 1e6) return +(x / 1e6).toPrecision(3) + "M";
  if (x >= 1e4) return +(x / 1e3).toPrecision(3) + "k";
  return String(+x.toPrecision(3));
}

// focusRange is the y range for the informative part of vals, by the rule
// the report's plots share (report.focus in Go): it reaches the best value
// (higher or lower), and on the poor side stops at the poorer of the 5%
// quantile and the Tukey fence (the quartile 1.5 interquartile ranges
// out), or at a value of keep (a Pareto front's). The values beyond are
// drawn at the edge and counted. One value, or all equal: a range a tenth
// of it (at least 0.1) towards the poor side. null with no value.
function focusRange(vals, higher, keep) {
  const s = vals.filter(v => v != null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return null;
  const q1 = quantile(s, 0.25), q3 = quantile(s, 0.75);
  let lo = s[0], hi = s[s.length - 1];
  if (higher) lo = Math.max(lo, Math.min(quantile(s, 0.05), q1 - 1.5 * (q3 - q1)));
  else hi = Math.min(hi, Math.max(quantile(s, 0.95), q3 + 1.5 * (q3 - q1)));
  for (const v of keep || []) if (v != null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (hi <= lo) { const d = 0.1 * Math.max(Math.abs(lo), 1); if (higher) lo -= d; else hi += d; }
  const out = s.filter(v => v < lo || v > hi);
  return { lo, hi, higher, clipped: out.length, nearest: higher ? out[out.length - 1] : out[0] };
}

// focusNote says how many values of what are drawn at the edge, below (or
// above) the shortest number between the edge and the nearest of them.
function focusNote(f, what) {
  const edge = f.higher ? f.lo : f.hi, beyond = f.nearest;
  let label = String(edge);
  if (edge !== 0) {
    const mag = Math.floor(Math.log10(Math.abs(edge)));
    for (let p = 1; p <= 15; p++) {
      const step = Math.pow(10, mag - p + 1);
      const v = +((f.higher ? Math.floor(edge / step) : Math.ceil(edge / step)) * step).toPrecision(p);
      if (v !== beyond && Math.min(beyond, edge) <= v && v <= Math.max(beyond, edge)) { label = String(v); break; }
    }
  } else label = "0";
  return `${f.clipped} ${what}${f.clipped === 1 ? "" : "s"} ${f.higher ? "below" : "above"} ${label}, drawn at the ${f.higher ? "bottom" : "top"} edge`;
}

// plot draws series on a canvas: {lines: [{name, color, pts: [[x,y]], band: [[x,lo,hi]], dots, step, focus}], xlabel, ylabel, logx, empty,
// focus: {higher, keep, what}}. With focus, the y range is focusRange of the series marked focus: the values beyond it are drawn at
// the edge, those of focus series as triangles, and the legend counts them as what. With no point to draw it says so, in empty's words.
function plot(cv, o) {
  const { g, w, h } = canvasFor(cv, o.height || 240);
  const L = 52, R = 12, T = 10, B = 34;
  const tx = x => o.logx ? Math.log10(Math.max(x, 1e-12)) : x;
  const xs = [], ys = [];
  let points = 0;
  let drawable = 0; // points with a finite value
  for (const s of o.lines) {
    for (const p of s.pts || []) { xs.push(tx(p[0])); ys.push(p[1]); points++; if (p[1] != null && Number.isFinite(p[1])) drawable++; }
    for (const p of s.band || []) { xs.push(tx(p[0])); ys.push(p[1], p[2]); }
  }
  cv.dataset.points = points;
  cv.dataset.empty = drawable ? "" : (o.empty || "nothing to draw yet");
  const fr = o.focus && !o.yrange ? focusRange(o.lines.filter(s => s.focus).flatMap(s => s.pts.map(p => p[1])), o.focus.higher, o.focus.keep) : null;
  const clamp = y => fr && y != null ? Math.min(Math.max(y, fr.lo), fr.hi) : y;
  const out = y => fr && y != null && (y < fr.lo || y > fr.hi);
  const [x0, x1] = o.xrange || extent(xs, 0.02), [y0, y1] = o.yrange || (fr ? extent([fr.lo, fr.hi], 0.06) : extent(ys, 0.06));
  const X = x => L + (tx(x) - x0) / (x1 - x0) * (w - L - R), Y = y => T + (1 - (clamp(y) - y0) / (y1 - y0)) * (h - T - B);
  g.font = "11px system-ui, sans-serif"; g.strokeStyle = "#e5e9f0"; g.fillStyle = "#5b6577"; g.lineWidth = 1;
  // Labelled as the decimals they are (ticks rounds them to 12 digits): 0.9895 and 0.99 differ.
  for (const v of ticks(y0, y1, 5)) { const y = Y(v); g.beginPath(); g.moveTo(L, y); g.lineTo(w - R, y); g.stroke(); g.textAlign = "right"; g.fillText(String(v), L - 4, y + 4); }
  for (const v of o.logx ? logTicks(x0, x1) : ticks(x0, x1, 6)) {
    const x = L + (v - x0) / (x1 - x0) * (w - L - R);
    g.beginPath(); g.moveTo(x, T); g.lineTo(x, h - B); g.stroke(); g.textAlign = "center";
    g.fillText(o.logx ? logLabel(Math.pow(10, v)) : fmt(v, 3), x, h - B + 14);
  }
  g.textAlign = "center"; g.fillText(o.xlabel || "", L + (w - L - R) / 2, h - 4);
  g.save(); g.translate(11, T + (h - T - B) / 2); g.rotate(-Math.PI / 2); g.fillText(o.ylabel || "", 0, 0); g.restore();
  g.save(); g.beginPath(); g.rect(L, T, w - L - R, h - T - B); g.clip();
  for (const s of o.lines) {
    if (s.band && s.band.length) {
      g.fillStyle = s.color; g.globalAlpha = 0.15; g.beginPath();
      s.band.forEach((p, i) => i ? g.lineTo(X(p[0]), Y(p[2])) : g.moveTo(X(p[0]), Y(p[2])));
      for (let i = s.band.length - 1; i >= 0; i--) g.lineTo(X(s.band[i][0]), Y(s.band[i][1]));
      g.fill(); g.globalAlpha = 1;
    }
    if (s.dots) {
      g.fillStyle = s.color; g.globalAlpha = s.alpha || 0.45;
      for (const p of s.pts) {
        if (p[1] == null) continue;
        const x = X(p[0]), y = Y(p[1]), r = s.r || 2;
        g.beginPath();
        if (s.focus && out(p[1])) { // at the edge: a triangle pointing beyond it
          const d = fr.higher ? 1 : -1, t = r + 1.5;
          g.globalAlpha = 1; g.fillStyle = "#5b6577";
          g.moveTo(x - t, y - d * t * 0.6); g.lineTo(x + t, y - d * t * 0.6); g.lineTo(x, y + d * t); g.closePath(); g.fill();
          g.globalAlpha = s.alpha || 0.45; g.fillStyle = s.color;
          continue;
        }
        g.arc(x, y, r, 0, 7); g.fill();
      }
      g.globalAlpha = 1;
    } else {
      g.strokeStyle = s.color; g.lineWidth = s.width || 1.8; g.beginPath();
      let on = false, py = 0;
      const alone = []; // points with no neighbour to join: a line would not show them
      s.pts.forEach((p, i) => {
        if (p[1] == null) { on = false; return; }
        if (!on) { g.moveTo(X(p[0]), Y(p[1])); on = true; if (!s.pts[i + 1] || s.pts[i + 1][1] == null) alone.push(p); }
        else if (s.step) { g.lineTo(X(p[0]), Y(py)); g.lineTo(X(p[0]), Y(p[1])); }
        else g.lineTo(X(p[0]), Y(p[1]));
        py = p[1];
      });
      g.stroke();
      g.fillStyle = s.color;
      for (const p of alone) { g.beginPath(); g.arc(X(p[0]), Y(p[1]), (s.width || 1.8) + 1, 0, 7); g.fill(); }
    }
  }
  g.restore();
  if (cv.dataset.empty) {
    g.fillStyle = "#7a8496"; g.font = "13px system-ui, sans-serif"; g.textAlign = "center";
    const lines = [""]; // wrapped to the plot's width
    for (const word of cv.dataset.empty.split(" ")) {
      const l = lines[lines.length - 1], t = l ? l + " " + word : word;
      if (l && g.measureText(t).width > w - L - R - 16) lines.push(word); else lines[lines.length - 1] = t;
    }
    lines.forEach((l, i) => g.fillText(l, L + (w - L - R) / 2, T + (h - T - B) / 2 + (i - (lines.length - 1) / 2) * 17));
  }
  if (o.legend) o.legend.innerHTML = o.lines.filter(s => s.name).map(s => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join("") +
    (fr && fr.clipped ? `<span class="clip-note">${fr.higher ? "▼" : "▲"} ${esc(focusNote(fr, o.focus.what || "value"))}</span>` : "");
  cv.dataset.clipped = fr ? fr.clipped : 0;
  return { X, Y };
}

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q, lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

// boxes draws one box plot per group: [{name, values}].
function boxes(cv, groups, ylabel) {
  const { g, w, h } = canvasFor(cv, 240);
  const L = 52, R = 12, T = 10, B = 34;
  const all = groups.flatMap(x => x.values).filter(Number.isFinite);
  const [y0, y1] = extent(all, 0.08);
  const Y = y => T + (1 - (y - y0) / (y1 - y0)) * (h - T - B);
  g.font = "11px system-ui, sans-serif"; g.strokeStyle = "#e5e9f0"; g.fillStyle = "#5b6577";
  for (const v of ticks(y0, y1, 5)) { const y = Y(v); g.beginPath(); g.moveTo(L, y); g.lineTo(w - R, y); g.stroke(); g.textAlign = "right"; g.fillText(fmt(v, 3), L - 4, y + 4); }
  g.save(); g.translate(11, T + (h - T - B) / 2); g.rotate(-Math.PI / 2); g.textAlign = "center"; g.fillText(ylabel, 0, 0); g.restore();
  const bw = (w - L - R) / Math.max(groups.length, 1);
  groups.forEach((grp, i) => {
    const v = grp.values.filter(Number.isFinite).sort((a, b) => a - b), cx = L + bw * (i + 0.5), c = COLORS[i % COLORS.length];
    g.fillStyle = "#5b6577"; g.textAlign = "center"; g.fillText(grp.name, cx, h - B + 14);
    if (!v.length) return;
    const q1 = quantile(v, 0.25), q2 = quantile(v, 0.5), q3 = quantile(v, 0.75), bwid = Math.min(60, bw * 0.5);
    g.strokeStyle = c; g.lineWidth = 1.5;
    g.beginPath(); g.moveTo(cx, Y(v[0])); g.lineTo(cx, Y(q1)); g.moveTo(cx, Y(q3)); g.lineTo(cx, Y(v[v.length - 1])); g.stroke();
    g.fillStyle = c; g.globalAlpha = 0.15; g.fillRect(cx - bwid / 2, Y(q3), bwid, Y(q1) - Y(q3)); g.globalAlpha = 1;
    g.strokeRect(cx - bwid / 2, Y(q3), bwid, Y(q1) - Y(q3));
    g.lineWidth = 2.5; g.beginPath(); g.moveTo(cx - bwid / 2, Y(q2)); g.lineTo(cx + bwid / 2, Y(q2)); g.stroke();
    g.fillStyle = c; for (const x of v) { g.beginPath(); g.arc(cx + bwid * 0.7, Y(x), 2.2, 0, 7); g.fill(); }
  });
}

// ---------- runs list ----------

function pageRuns() {
  $("#crumbs").textContent = "runs";
  main.innerHTML = `<div class="card"><h1>Runs</h1><div class="meta" id="root"></div><div id="runs"></div></div>`;
  poll(async () => {
    const d = await getJSON("api/runs");
    $("#root").innerHTML = `under <b>${esc(d.root)}</b>` + (d.error ? ` <span class="err">${esc(d.error)}</span>` : "");
    if (!d.runs.length) { $("#runs").innerHTML = `<p class="hint">No runs yet: start one with <code>evonas evolve</code>, <code>compare</code> or <code>sweep</code> and it appears here.</p>`; return; }
    const rows = d.runs.slice().sort((a, b) => (b.started || "").localeCompare(a.started || ""));
    $("#runs").innerHTML = `<table id="runs-table"><thead><tr><th>run</th><th>kind</th><th>data</th><th>strategy</th><th>status</th><th class="num">evaluations</th><th class="num">best metric</th><th>started</th></tr></thead><tbody>` +
      rows.map(r => {
        const href = (r.kind === "compare" || r.kind === "sweep" ? "#/compare/" : "#/run/") + pathHash(r.path);
        return `<tr data-href="${esc(href)}"><td><a href="${esc(href)}">${esc(r.path)}</a>${r.error ? ` <span class="err" title="${esc(r.error)}">⚠</span>` : ""}</td><td>${esc(r.kind)}</td><td>${r.table ? `<span class="hint">table</span> ` : ""}${esc(r.data)}</td><td>${esc(r.strategy)}</td><td>${statusBadge(r.status)}</td><td class="num">${r.evaluations}</td><td class="num">${fmt(r.best_metric)} <span class="hint">${esc(r.metric)}</span></td><td>${when(r.started)}</td></tr>`;
      }).join("") + `</tbody></table>`;
    for (const tr of document.querySelectorAll("#runs-table tbody tr")) tr.onclick = e => { if (e.target.tagName !== "A") location.hash = tr.dataset.href; };
  }, 2000);
}

// ---------- a run ----------

// Genes of a genome, the axes of the parallel coordinates and the table.
const GENES = [
  { name: "layers", f: g => g.layers.length },
  { name: "units", f: g => g.layers.reduce((s, l) => s + l.units, 0) },
  { name: "dropout", f: g => g.layers.length ? g.layers.reduce((s, l) => s + l.dropout, 0) / g.layers.length : 0 },
  { name: "log10 lr", f: g => Math.log10(g.lr) },
  { name: "batch", f: g => g.batch },
  { name: "log10 l2", f: g => Math.log10(g.l2 + 1e-7) },
  { name: "optimizer", f: g => g.optimizer, cat: true },
  { name: "activation", f: g => g.layers.length ? g.layers[0].activation : "–", cat: true },
];

function pageRun(path, opts) {
  $("#crumbs").innerHTML = `<a href="#/">runs</a> / ${esc(path)}`;
  const st = { recs: [], byKey: new Map(), sel: null, sortKey: "index", sortDir: 1, filter: "", brush: {}, data: null, task: "", view: [] };
  main.innerHTML = `
  <div class="card"><h1 id="title">${esc(path)}</h1><div class="meta" id="meta"></div><div class="err" id="errs"></div></div>
  <div class="grid">
    <div class="card"><h2>Best so far</h2><canvas id="c-best"></canvas><div class="legend" id="l-best"></div></div>
    <div class="card"><h2 id="h-gen">Generations: fitness (lower is better)</h2><canvas id="c-gen"></canvas><div class="legend" id="l-gen"></div></div>
    <div class="card" id="div-card"><h2>Diversity</h2><canvas id="c-div"></canvas><div class="legend" id="l-div"></div></div>
    <div class="card" id="pareto-card"><h2 id="h-pareto">Accuracy against size, Pareto front</h2><canvas id="c-pareto"></canvas><div class="legend" id="l-pareto"></div></div>
    <div class="card wide"><h2>Genes against the metric <span class="hint">drag along an axis to filter, double-click to clear</span></h2><canvas id="c-pc"></canvas></div>
    <div class="card wide"><h2>Evaluations <span class="hint" id="count"></span></h2>
      <div class="toolbar"><input type="search" id="filter" placeholder="filter: text in arch, status, ops; or metric>0.9, params<500, gen=3">
        <button id="best-btn">select best</button><button id="lineage-btn">lineage of the selected</button></div>
      <div class="vt" id="vt"><table><colgroup><col style="width:56px"><col style="width:44px"><col style="width:70px"><col style="width:80px"><col style="width:80px"><col style="width:80px"><col style="width:70px"><col><col style="width:110px"></colgroup>
        <thead id="thead"></thead><tbody id="tbody"></tbody></table></div></div>
    <div class="card"><h2>Selected evaluation</h2><div id="sel"><p class="hint">Click a row, a point or a lineage node.</p></div></div>
    <div class="card" id="curve-card"><h2>Its learning curve</h2><canvas id="c-curve"></canvas><div class="legend" id="l-curve"></div></div>
    <div class="card wide" id="lineage-card"><h2>Lineage <span class="hint">where the selected genome came from, back to the first generation; dashed: crossover</span></h2><div id="lineage"><p class="hint">Select an evaluation and press “lineage of the selected”.</p></div></div>
  </div>`;
  // field: the score the metric is (a loss table's is val.loss, lower is better)
  const field = () => st.field || (st.task === "regression" ? "r2" : "acc");
  const metric = r => r.val ? r.val[field()] : null;
  const testMetric = r => r.test ? r.test[field()] : null;
  const better = (a, b) => st.max === false ? a < b : a > b;
  const mname = () => st.metricName || (st.task === "regression" ? "R²" : "accuracy");
  const xname = () => st.table ? "evaluations" : "trainings"; // a table run trains nothing
  const ok = r => r.status === "ok" || r.status === "cached";
  const COLS = [
    { k: "index", t: "#", num: true, v: r => r.index },
    { k: "generation", t: "gen", num: true, v: r => r.generation },
    { k: "status", t: "status", v: r => r.status },
    { k: "metric", t: "val", num: true, v: r => ok(r) ? metric(r) : null },
    { k: "test", t: "test", num: true, v: r => ok(r) ? testMetric(r) : null },
    { k: "fitness", t: "fitness", num: true, v: r => r.fitness },
    { k: "params", t: "params", num: true, v: r => r.params },
    { k: "arch", t: "architecture", v: r => r.arch },
    { k: "ops", t: "made by", v: r => (r.ops || []).join(" ") },
  ];
  plot($("#c-curve"), { lines: [], height: 200, empty: "select an evaluation to see its learning curve" });
  $("#thead").innerHTML = "<tr>" + COLS.map(c => `<th data-k="${c.k}" class="${c.num ? "num" : ""}">${c.t}</th>`).join("") + "</tr>";
  for (const th of document.querySelectorAll("#thead th")) th.onclick = () => {
    st.sortDir = st.sortKey === th.dataset.k ? -st.sortDir : (th.dataset.k === "metric" || th.dataset.k === "test" ? -1 : 1);
    st.sortKey = th.dataset.k; refreshTable();
  };
  $("#filter").oninput = e => { st.filter = e.target.value.trim(); refreshTable(); };
  $("#vt").onscroll = () => drawRows();
  $("#best-btn").onclick = () => { const b = best(); if (b) select(b); };
  $("#lineage-btn").onclick = () => { if (st.sel || best()) { if (!st.sel) select(best()); drawLineage(); } };

  function best() {
    if (st.incumbent) { const r = st.byKey.get(st.incumbent); if (r) return r; } // the summary's winner
    let b = null;
    for (const r of st.recs) if (r.fitness != null && (!b || r.fitness < b.fitness)) b = r;
    return b;
  }
  function filterFn() {
    const f = st.filter;
    const m = f.match(/^(metric|val|test|params|gen|generation|fitness)\s*(<=|>=|<|>|=)\s*([-\d.e]+)$/i);
    if (m) {
      const col = { metric: "metric", val: "metric", test: "test", params: "params", gen: "generation", generation: "generation", fitness: "fitness" }[m[1].toLowerCase()];
      const c = COLS.find(c => c.k === col), x = +m[3];
      st.filterNote = Number.isNaN(x) ? `"${m[3]}" is not a number` : ""; st.noteIfNone = false;
      return r => { const v = c.v(r); return v != null && ({ "<": v < x, ">": v > x, "<=": v <= x, ">=": v >= x, "=": v === x })[m[2]]; };
    }
    // A comparison on a column there is none of is text to look for (lr=0.01
    // is in keys); when that matches nothing, the count says why.
    const u = f.match(/^([a-z_²0-9]+)\s*(<=|>=|<|>|=)\s*[-\d.e]+$/i);
    st.filterNote = u ? `no column "${u[1]}" to compare: use metric (or val), test, params, gen or fitness` : "";
    st.noteIfNone = !!u;
    const lo = f.toLowerCase();
    return r => !lo || r.arch.toLowerCase().includes(lo) || r.status.includes(lo) || (r.ops || []).join(" ").includes(lo) || r.key.toLowerCase().includes(lo);
  }
  function brushed(r) {
    for (const [i, [a, b]] of Object.entries(st.brush)) {
      const v = pcValue(r, +i);
      if (v == null || v < a || v > b) return false;
    }
    return true;
  }
  function refreshTable() {
    const f = filterFn(), c = COLS.find(c => c.k === st.sortKey), d = st.sortDir;
    st.view = st.recs.filter(r => f(r) && brushed(r));
    st.view.sort((a, b) => {
      const x = c.v(a), y = c.v(b);
      if (x == null && y == null) return a.index - b.index;
      if (x == null) return 1;
      if (y == null) return -1;
      return (x < y ? -d : x > y ? d : 0) || a.index - b.index;
    });
    for (const th of document.querySelectorAll("#thead th")) th.className = (COLS.find(c => c.k === th.dataset.k).num ? "num " : "") + (th.dataset.k === st.sortKey ? (d > 0 ? "sorted-asc" : "sorted-desc") : "");
    $("#count").textContent = `${st.view.length} of ${st.recs.length}` + (st.filterNote && (!st.noteIfNone || !st.view.length) ? " · " + st.filterNote : "");
    drawRows();
  }
  const RH = 24;
  function drawRows() {
    const vt = $("#vt"), n = st.view.length;
    const first = Math.max(0, Math.floor(vt.scrollTop / RH) - 5), last = Math.min(n, first + Math.ceil(vt.clientHeight / RH) + 10);
    let html = `<tr style="height:${first * RH}px"></tr>`;
    for (let i = first; i < last; i++) {
      const r = st.view[i];
      html += `<tr data-i="${r.index}" class="${st.sel === r ? "sel" : ""}">` + COLS.map(c => { const v = c.v(r); return `<td class="${c.num ? "num" : ""}" title="${c.k === "arch" ? esc(r.key) : c.k === "ops" ? esc(v) : ""}">${c.num ? fmt(v) : esc(v)}</td>`; }).join("") + "</tr>";
    }
    html += `<tr style="height:${(n - last) * RH}px"></tr>`;
    $("#tbody").innerHTML = html;
    for (const tr of document.querySelectorAll("#tbody tr[data-i]")) tr.onclick = () => { const i = +tr.dataset.i, r = st.recs[i]; select(r && r.index === i ? r : st.recs.find(r => r.index === i)); };
  }
  function select(r) {
    st.sel = r;
    const g = r.genome;
    const parents = (r.parents || []).map(k => { const p = st.byKey.get(k); return p ? `<a href="javascript:void 0" data-key="${esc(k)}">#${p.index} ${esc(p.arch)}</a>` : esc(k); }).join(", ");
    $("#sel").innerHTML = `<div class="meta">#${r.index}, generation ${r.generation}, ${statusBadge(r.status)} ${esc(r.reason || "")}</div>
      <table><tr><td>validation</td><td class="num">${fmt(metric(r))}</td><td>test</td><td class="num">${fmt(testMetric(r))}</td></tr>
      <tr><td>fitness</td><td class="num">${fmt(r.fitness)}</td><td>parameters</td><td class="num">${r.params}</td></tr>
      ${st.table ? `<tr><td>regret</td><td class="num">${fmt(r.regret)}</td><td>training (the table's)</td><td class="num">${fmt(r.train_s, 3)} s</td></tr>` :
      `<tr><td>epochs</td><td class="num">${r.epochs}${r.partial ? " (stopped early)" : ""}</td><td>training</td><td class="num">${fmt(r.train_s, 3)} s</td></tr>`}</table>
      <div class="layers">${g.layers.map(l => `<div style="min-height:${30 + Math.min(60, l.units / 4)}px">${l.units}<br>${esc(l.activation)}${l.dropout ? "<br>drop " + fmt(l.dropout, 2) : ""}</div>`).join("") || "<i>no hidden layer</i>"}</div>
      <div class="meta">lr <b>${fmt(g.lr, 3)}</b>, batch <b>${g.batch}</b>, l2 <b>${fmt(g.l2, 3)}</b>, optimizer <b>${esc(g.optimizer)}</b>${r.worker ? `; trained by worker <b>${esc(r.worker)}</b>` : ""}</div>
      ${st.table ? "" : `<div class="meta">made by <b>${esc((r.ops || []).join(", ") || (r.generation ? "surviving or a repeat" : "sampling (first generation)"))}</b>${parents ? " from " + parents : ""}</div>`}
      <pre>${esc(JSON.stringify(g, null, 1))}</pre>`;
    for (const a of document.querySelectorAll("#sel a[data-key]")) a.onclick = () => select(st.byKey.get(a.dataset.key));
    if (!st.table) {
      const curve = (r.curve || []).map((y, i) => [i + 1, y]);
      plot($("#c-curve"), { empty: ok(r) ? "no learning curve recorded" : `not trained to the end (${r.status}): no learning curve`, lines: [{ name: "validation " + mname() + " after each epoch", color: COLORS[0], pts: curve }, { color: COLORS[0], pts: curve, dots: true, r: 2.5, alpha: 1 }], xlabel: "epoch", ylabel: mname(), legend: $("#l-curve"), height: 200 });
    }
    drawRows(); if (!st.noParams) drawPareto();
  }

  // parallel coordinates: one axis per gene that varies in this run, then
  // the size and the metric. An axis is {name, v: record => number, cats}.
  function axes() {
    const out = [];
    for (const gn of GENES) {
      if (gn.cat) {
        const cats = [...new Set(st.recs.map(r => gn.f(r.genome)))].sort();
        if (cats.length > 1) out.push({ name: gn.name, cats, v: r => cats.indexOf(gn.f(r.genome)) });
      } else {
        const [lo, hi] = rawExtent(st.recs.map(r => gn.f(r.genome)));
        if (hi > lo) out.push({ name: gn.name, v: r => gn.f(r.genome) });
      }
    }
    // a net refused before it was built has no parameter count (0): no value
    if (!st.noParams) out.push({ name: "log10 params", v: r => r.params > 0 ? Math.log10(r.params) : null });
    out.push({ name: mname(), v: r => ok(r) ? metric(r) : null });
    const names = out.map(a => a.name).join("|");
    if (st.axisNames !== names) { st.axisNames = names; st.brush = {}; } // the axes changed: brushes no longer apply
    return out;
  }
  function rawExtent(vals) {
    let lo = Infinity, hi = -Infinity;
    for (const v of vals) if (v != null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    return [lo, hi];
  }
  function pcValue(r, i) { return st.axes[i].v(r); }
  function drawPC() {
    st.axes = axes();
    const cv = $("#c-pc"), { g, w, h } = canvasFor(cv, 290), T = 30, B = 20, n = st.axes.length;
    const raw = st.axes.map((_, i) => rawExtent(st.recs.map(r => pcValue(r, i))));
    const ranges = st.axes.map((_, i) => extent(st.recs.map(r => pcValue(r, i)), 0.05));
    const ax = i => 40 + i * (w - 90) / Math.max(n - 1, 1), ay = (i, v) => T + (1 - (v - ranges[i][0]) / (ranges[i][1] - ranges[i][0])) * (h - T - B);
    st.pc = { ax, ay, ranges, T, B, h, n };
    const [m0, m1] = raw[n - 1];
    const col = v => { if (v == null) return "rgba(160,160,160,.35)"; const t = (v - m0) / (m1 - m0 || 1); return `hsla(${20 + 200 * t},70%,42%,.35)`; };
    const paint = (sel) => {
      for (const r of st.recs) {
        if (brushed(r) !== sel) continue;
        g.strokeStyle = sel ? col(pcValue(r, n - 1)) : "rgba(200,205,215,.25)"; g.lineWidth = 1; g.beginPath();
        let on = false;
        for (let i = 0; i < n; i++) { const v = pcValue(r, i); if (v == null) { on = false; continue; } const x = ax(i), y = ay(i, v); on ? g.lineTo(x, y) : g.moveTo(x, y); on = true; }
        g.stroke();
      }
    };
    paint(false); paint(true);
    g.font = "11px system-ui, sans-serif"; g.textAlign = "center";
    for (let i = 0; i < n; i++) {
      const x = ax(i), a = st.axes[i];
      g.strokeStyle = "#475166"; g.lineWidth = 1; g.beginPath(); g.moveTo(x, T); g.lineTo(x, h - B); g.stroke();
      g.fillStyle = "#1d2330"; g.fillText(a.name, x, 12);
      g.fillStyle = "#7a8496";
      if (a.cats) { g.textAlign = "left"; a.cats.forEach((c, k) => g.fillText(c, x + 5, ay(i, k) + 4)); g.textAlign = "center"; }
      else if (Number.isFinite(raw[i][0])) { g.fillText(fmt(raw[i][1], 3), x, 24); g.fillText(fmt(raw[i][0], 3), x, h - 6); }
      if (st.brush[i]) { const [lo, hi] = st.brush[i]; g.fillStyle = "rgba(29,78,216,.18)"; g.fillRect(x - 7, ay(i, hi), 14, ay(i, lo) - ay(i, hi)); g.strokeStyle = "#1d4ed8"; g.strokeRect(x - 7, ay(i, hi), 14, ay(i, lo) - ay(i, hi)); }
    }
    cv.dataset.lines = st.recs.length;
    cv.dataset.axes = n;
  }
  (function brushing() {
    const cv = $("#c-pc");
    let drag = null;
    const at = e => { const b = cv.getBoundingClientRect(); return [e.clientX - b.left, e.clientY - b.top]; };
    const axis = x => { for (let i = 0; i < st.pc.n; i++) if (Math.abs(st.pc.ax(i) - x) < 14) return i; return -1; };
    const val = (i, y) => st.pc.ranges[i][0] + (1 - (y - st.pc.T) / (st.pc.h - st.pc.T - st.pc.B)) * (st.pc.ranges[i][1] - st.pc.ranges[i][0]);
    cv.onmousedown = e => { if (!st.pc) return; const [x, y] = at(e), i = axis(x); if (i >= 0) { drag = { i, y }; e.preventDefault(); } };
    window.addEventListener("mousemove", e => { if (!drag) return; const [, y] = at(e); const a = val(drag.i, Math.max(drag.y, y)), b = val(drag.i, Math.min(drag.y, y)); st.brush[drag.i] = [a, b]; drawPC(); });
    window.addEventListener("mouseup", () => { if (drag) { drag = null; refreshTable(); drawPareto(); } });
    cv.ondblclick = () => { st.brush = {}; drawPC(); refreshTable(); drawPareto(); };
  })();

  function pareto() {
    const pts = st.recs.filter(r => r.status === "ok").map(r => ({ r, x: Math.max(r.params, 1), y: metric(r) })).sort((a, b) => a.x - b.x || (better(a.y, b.y) ? -1 : better(b.y, a.y) ? 1 : 0));
    const front = []; let top = null;
    for (const p of pts) if (top == null || better(p.y, top)) { front.push(p); top = p.y; }
    return { pts, front };
  }
  function drawPareto() {
    const { pts, front } = pareto();
    const mn = mname();
    $("#h-pareto").textContent = mn[0].toUpperCase() + mn.slice(1) + " against size, Pareto front";
    const sel = st.sel && st.sel.status !== "failed" ? [[Math.max(st.sel.params, 1), metric(st.sel)]] : [];
    st.paretoMap = plot($("#c-pareto"), {
      logx: true, xlabel: "parameters (log scale)", ylabel: "validation " + mn, legend: $("#l-pareto"),
      focus: { higher: st.max !== false, keep: front.map(p => p.y), what: "evaluation" },
      empty: st.recs.length ? "no successful evaluation yet: nothing to place" : "no evaluation yet",
      lines: [
        { name: "evaluations (filtered: dark)", color: "#9aa6bb", pts: pts.filter(p => !brushed(p.r)).map(p => [p.x, p.y]), dots: true, alpha: 0.3, focus: true },
        { color: COLORS[0], pts: pts.filter(p => brushed(p.r)).map(p => [p.x, p.y]), dots: true, alpha: 0.5, focus: true },
        { name: "Pareto front (fewest parameters for the " + mn + ")", color: COLORS[1], pts: front.map(p => [p.x, p.y]), step: true, width: 2 },
        { color: COLORS[1], pts: front.map(p => [p.x, p.y]), dots: true, r: 3.5, alpha: 1 },
        { name: "selected", color: "#111", pts: sel, dots: true, r: 5, alpha: 1 },
      ],
    });
    st.front = front;
  }
  $("#c-pareto").onclick = e => {
    if (!st.paretoMap) return;
    const b = e.target.getBoundingClientRect(), x = e.clientX - b.left, y = e.clientY - b.top;
    let bestD = 100, pick = null;
    for (const p of pareto().pts) { const d = (st.paretoMap.X(p.x) - x) ** 2 + (st.paretoMap.Y(p.y) - y) ** 2; if (d < bestD) { bestD = d; pick = p.r; } }
    if (pick) select(pick);
  };

  function drawCharts(d) {
    // best so far against trainings (cache hits cost nothing)
    let n = 0, bestM = null;
    const bestPts = [], each = [];
    for (const r of st.recs) {
      if (r.status === "cached") continue;
      n++;
      // a training stopped early (partial) has a lower fidelity's metric: a point, never the best so far
      if (r.status === "ok") { const m = metric(r); each.push([n, m]); if (!r.partial && (bestM == null || better(m, bestM))) bestM = m; }
      bestPts.push([n, bestM]);
    }
    const xr = [0, Math.max(n, ...d.generations.map(g => g.evaluations), 1)];
    const none = n ? `no successful evaluation yet: ${n === 1 ? "the one so far" : "all " + n + " so far"} failed (see the table's status column)` : "no evaluation yet";
    plot($("#c-best"), { xrange: xr, xlabel: xname(), ylabel: "validation " + mname(), legend: $("#l-best"), empty: none,
      focus: { higher: st.max !== false, what: "evaluation" }, lines: [
      { name: "each evaluation", color: "#9aa6bb", pts: each, dots: true, alpha: 0.35, focus: true },
      { name: "best so far", color: COLORS[0], pts: bestPts, step: true, width: 2.2 },
    ] });
    if (st.table) { // no generations: the regret of the incumbent instead
      const reg = (d.regret || []).map((y, i) => [i + 1, y]);
      plot($("#c-gen"), { xrange: xr, xlabel: "evaluations", ylabel: "regret", legend: $("#l-gen"), empty: "no evaluation yet", lines: [
        { name: "regret of the incumbent (its mean over the table's repeats from the best mean)", color: COLORS[1], pts: reg, step: true, width: 2.2 },
      ] });
      return;
    }
    const gens = d.generations;
    const noGen = gens.length ? `no finite fitness in ${gens.length === 1 ? "the generation" : "any of the " + gens.length + " generations"}: every candidate failed` :
      "no generation has ended yet";
    plot($("#c-gen"), { xrange: xr, xlabel: "trainings", ylabel: "fitness", legend: $("#l-gen"), empty: noGen, lines: [
      { name: "mean ± std", color: COLORS[2], pts: gens.map(g => [g.evaluations, g.mean]), band: gens.filter(g => g.mean != null).map(g => [g.evaluations, g.mean - (g.std || 0), g.mean + (g.std || 0)]) },
      { name: "generation's best", color: COLORS[1], pts: gens.map(g => [g.evaluations, g.best]) },
      { name: "best so far", color: COLORS[0], pts: gens.map(g => [g.evaluations, g.best_so_far]), step: true },
    ] });
    plot($("#c-div"), { xrange: xr, xlabel: "trainings", ylabel: "mean pairwise distance", legend: $("#l-div"), empty: gens.length ? "no diversity recorded" : noGen, lines: [
      { name: "diversity", color: COLORS[3], pts: gens.map(g => [g.evaluations, g.diversity]) },
      { color: COLORS[3], pts: gens.map(g => [g.evaluations, g.diversity]), dots: true, r: 2.5, alpha: 1 },
    ] });
  }

  // lineage: the family tree of the selected genome, generation by generation
  function drawLineage() {
    const root = st.sel;
    if (!root) return;
    // made: the record where each key was made, its first: a later one is a
    // cache hit, the same architecture made again, which its origin precedes.
    const made = new Map();
    for (const r of st.recs) if (!made.has(r.key)) made.set(r.key, r);
    const nodes = new Map(), edges = [];
    const visit = (key, depth) => {
      if (nodes.has(key) || nodes.size > 400) return;
      const r = made.get(key);
      if (!r) { nodes.set(key, { key, gen: 0, r: null }); return; }
      nodes.set(key, { key, gen: r.generation, r });
      (r.parents || []).forEach((p, i) => { edges.push({ from: p, to: key, cx: (r.ops || [])[0] === "crossover", ops: i === 0 ? (r.ops || []).join(" ") : "" }); visit(p, depth + 1); });
    };
    visit(root.key, 0);
    const gens = [...new Set([...nodes.values()].map(n => n.gen))].sort((a, b) => a - b);
    const rows = gens.map(g => [...nodes.values()].filter(n => n.gen === g).sort((a, b) => a.key.localeCompare(b.key)));
    const NW = 150, NH = 36, GY = 78, W = Math.max(700, Math.max(...rows.map(r => r.length)) * (NW + 20) + 40), H = rows.length * GY + 20;
    rows.forEach((row, i) => row.forEach((n, j) => { n.x = (W - row.length * (NW + 20)) / 2 + j * (NW + 20) + 10; n.y = 10 + i * GY; }));
    let svg = `<svg viewBox="0 0 ${W} ${H}" style="max-width:${W}px" data-nodes="${nodes.size}">`;
    for (const e of edges) {
      const a = nodes.get(e.from), b = nodes.get(e.to);
      if (!a || !b) continue;
      const x1 = a.x + NW / 2, y1 = a.y + NH, x2 = b.x + NW / 2, y2 = b.y;
      svg += `<path class="edge${e.cx ? " cx" : ""}" d="M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}"/>`;
      if (e.ops) svg += `<text class="edgelabel" x="${x2 + 4}" y="${y2 - 5}">${esc(e.ops)}</text>`;
    }
    for (const n of nodes.values()) {
      const r = n.r, label = r ? `#${r.index} gen ${r.generation}  ${fmt(metric(r), 3)}` : "(not in the log)";
      svg += `<g class="node${n.key === root.key ? " best" : ""}" data-key="${esc(n.key)}" transform="translate(${n.x},${n.y})"><title>${esc(n.key)}</title><rect width="${NW}" height="${NH}" rx="4"/>` +
        `<text x="6" y="14">${esc(label)}</text><text x="6" y="28" fill="#5b6577">${esc(r ? r.arch.slice(0, 26) : n.key.slice(0, 26))}</text></g>`;
    }
    svg += "</svg>";
    $("#lineage").innerHTML = `<div class="meta">${nodes.size} ancestors and itself over ${rows.length} generations</div>` + svg;
    for (const el of document.querySelectorAll("#lineage .node")) el.onclick = () => { const r = made.get(el.dataset.key); if (r) select(r); };
    if (!opts.lineage) $("#lineage-card").scrollIntoView({ behavior: "instant", block: "start" });
  }

  // adaptToTable hides what a run on a table does not have: generations,
  // diversity, learning curves (nothing is trained), lineage (not recorded).
  function adaptToTable() {
    st.table = true;
    $("#h-gen").textContent = "Regret of the incumbent (lower is better)";
    for (const id of ["#div-card", "#curve-card", "#lineage-card", "#lineage-btn"]) $(id).hidden = true;
  }

  let drawn = "";
  poll(async () => {
    const d = await getJSON(`api/run?p=${encodeURIComponent(path)}&since=${st.recs.length}`);
    if (d.since !== st.recs.length) { st.recs = []; st.byKey.clear(); st.sel = null; drawn = ""; return; } // the log was cut (a resume): read it again
    for (const r of d.records) { st.recs.push(r); if (!st.byKey.has(r.key)) st.byKey.set(r.key, r); }
    if (d.records.length && st.recs.length < d.total) { $("#count").textContent = `loading ${st.recs.length} of ${d.total}`; return true; } // a page of them: draw once all are in
    st.task = d.task; st.field = d.field; st.max = d.maximize; st.metricName = d.metric;
    if (d.table && !st.table) adaptToTable();
    // "select best" picks the run's winner once it has one: a table run's
    // incumbent, a search's best as summary.json names it (with
    // objective.repeats, judged on its mean, not on its best training).
    st.incumbent = d.table_summary ? d.table_summary.incumbent.key : d.summary && d.summary.best && d.summary.best.key || null;
    if (d.kind === "search of a comparison") { // link back to its comparison: DIR/STRATEGY/seed-N
      const up = path.split("/").slice(0, -2).join("/");
      $("#crumbs").innerHTML = `<a href="#/">runs</a> / <a href="#/compare/${esc(pathHash(up))}">${esc(up)}</a> / ${esc(path.split("/").slice(-2).join("/"))}`;
    }
    const s = d.summary, ts = d.table_summary;
    // The best metric: the summary's once the run has ended; before, that of
    // the records so far (as the runs list and the best-so-far chart), which
    // run ahead of the last generation, if one has ended at all.
    let bm = s && s.best ? (s.best.val_acc != null ? s.best.val_acc : s.best.val_r2) : null;
    if (!s) for (const r of st.recs) if (r.status === "ok" && metric(r) != null && (bm == null || better(metric(r), bm))) bm = metric(r);
    if (d.table) $("#meta").innerHTML = `${statusBadge(d.status)} <b>${esc(d.kind)}</b> on table <b>${esc(d.table)}</b> · strategy <b>${esc(d.strategy)}</b> · ${st.recs.length} evaluations, looked up in the table (none trained)` +
      (ts ? ` · seed ${ts.seed} · final regret <b>${fmt(ts.regret)}</b> · incumbent <b>${esc(ts.incumbent.arch)}</b>, ${esc(d.metric)} ${fmt(ts.incumbent.observed)} observed, ${fmt(ts.incumbent.mean)} over the table's repeats (best ${fmt(ts.best_mean)}) · ${fmt(ts.wall_s, 3)} s` : "") +
      ` · started ${when(d.started)}<br><span class="hint">${esc(d.command)}</span>`;
    else $("#meta").innerHTML = `${statusBadge(d.status)} <b>${esc(d.kind)}</b> · strategy <b>${esc(d.strategy)}</b> · data <b>${esc(d.data)}</b> · ${st.recs.length} evaluations · ${d.generations.length} generations · best ${esc(d.metric || "metric")}${s ? "" : " so far"} <b>${fmt(bm)}</b>` +
      (s ? ` · stopped by <b>${esc(s.stop)}</b> after ${fmt(s.wall_s, 3)} s` : "") + ` · started ${when(d.started)}<br><span class="hint">${esc(d.command)}</span>`;
    $("#errs").textContent = (d.errors || []).join("; ");
    const now = `${st.recs.length}|${d.generations.length}|${d.status}`; // redraw only on news
    if (now !== drawn) {
      drawn = now;
      st.noParams = st.table && !st.recs.some(r => r.params > 0); // a table without a params column
      $("#pareto-card").hidden = st.noParams;
      drawCharts(d); drawPC(); if (!st.noParams) drawPareto(); refreshTable();
      if (!st.sel && st.recs.length) { const b = best(); if (b) { select(b); if (opts.lineage) { $(".grid").prepend($("#lineage-card")); drawLineage(); } } }
    }
  }, 1000);
}

// ---------- a comparison or sweep ----------

function pageCompare(path) {
  $("#crumbs").innerHTML = `<a href="#/">runs</a> / ${esc(path)}`;
  main.innerHTML = `<div class="card"><h1 id="title">${esc(path)}</h1><div class="meta" id="meta"></div><div class="err" id="errs"></div></div>
  <div class="grid">
    <div class="card"><h2>Best so far against trainings <span class="hint" id="band-note"></span></h2><canvas id="c-curves"></canvas><div class="legend" id="l-curves"></div></div>
    <div class="card"><h2 id="box-title">Final results</h2><canvas id="c-box"></canvas></div>
    <div class="card wide"><h2>Tests</h2><div id="tests"><p class="hint">When the comparison ends.</p></div></div>
    <div class="card wide"><h2>Searches</h2><div id="members"></div></div>
    <div class="card wide" id="plots"></div>
  </div>`;
  poll(async () => {
    const d = await getJSON(`api/compare?p=${encodeURIComponent(path)}`);
    if (d.table) { tableReport(d); return; }
    const s = d.summary;
    $("#title").textContent = d.title || path;
    $("#meta").innerHTML = `${statusBadge(d.status)} <b>${esc(d.kind)}</b> · ${d.seeds} seeds · budget ${d.budget} trainings a search · ${d.members.length} searches begun<br><span class="hint">${esc(d.command)}</span>`;
    $("#errs").textContent = (d.errors || []).join("; ");
    // In the summary's order once there is one: the report's plots colour
    // the strategies in that order.
    const names = s ? s.strategies.map(x => x.name) : [...new Set(d.members.map(m => m.strategy))];
    const lines = [];
    // A band (a 95% interval over few seeds is wide) is cut to the values
    // the metric can take: an accuracy of 2 or -0.4 would mean nothing.
    const [blo, bhi] = d.metric === "accuracy" ? [0, 1] : d.metric === "R²" ? [-Infinity, 1] : [-Infinity, Infinity];
    const cut = v => v == null ? v : Math.min(bhi, Math.max(blo, v));
    names.forEach((name, i) => {
      const c = COLORS[i % COLORS.length], ms = d.members.filter(m => m.strategy === name);
      const sc = s && s.strategies.find(x => x.name === name);
      if (sc && sc.curve && sc.curve.evaluations) {
        const cu = sc.curve;
        lines.push({ name: name + " (mean, 95% band)", color: c, pts: cu.evaluations.map((e, j) => [e, cu.mean[j]]), band: cu.evaluations.map((e, j) => [e, cut(cu.lo[j]), cut(cu.hi[j])]) });
      } else {
        const n = Math.max(0, ...ms.map(m => m.curve.length)), pts = [], band = [];
        for (let k = 0; k < n; k++) {
          const v = ms.map(m => m.curve[Math.min(k, m.curve.length - 1)]).filter(x => x != null);
          if (!v.length) continue;
          pts.push([k + 1, v.reduce((a, b) => a + b, 0) / v.length]); band.push([k + 1, Math.min(...v), Math.max(...v)]);
        }
        lines.push({ name: name + " (mean, min–max over seeds)", color: c, pts, band });
      }
    });
    $("#band-note").textContent = s ? "" : "(live)";
    plot($("#c-curves"), { xlabel: "trainings", ylabel: "best validation " + (d.metric || "metric"), lines, legend: $("#l-curves"), empty: "no training has ended yet" });
    if (s) {
      const split = s.no_test_split ? "validation" : "test"; // no test split: compared on validation
      $("#box-title").textContent = "Final " + split + " " + s.metric_name + " of each seed's best (at the budget)";
      boxes($("#c-box"), s.strategies.map(x => ({ name: x.name, values: x.seeds.map(q => s.no_test_split ? q.best_val : q.best_test) })), split + " " + s.metric_name);
      $("#tests").innerHTML = `<table><thead><tr><th>strategy</th><th>against</th><th>metric</th><th class="num">p (Mann-Whitney U)</th><th class="num">A12</th><th class="num">n</th><th class="num">p paired by seed (Wilcoxon)</th></tr></thead><tbody>` +
        s.tests.map(t => `<tr><td>${esc(t.strategy)}</td><td>${esc(t.vs)}</td><td>${esc(t.metric)}</td><td class="num">${fmt(t.p_value, 3)}</td><td class="num">${fmt(t.a12, 3)}</td><td class="num">${t.n} vs ${t.n_vs}</td><td class="num">${t.pairs ? fmt(t.paired_p, 3) + " (" + t.pairs + " pairs" + (t.paired_higher != null ? ", " + t.paired_higher + " to " + esc(t.strategy) : "") + ")" : "-"}</td></tr>`).join("") + `</tbody></table>` +
        (s.ranking ? `<p>Ranking by median final ${split} ${esc(s.metric_name)}: <b>${s.ranking.map(esc).join(" › ")}</b></p>` : "");
    } else {
      $("#box-title").textContent = "Best validation " + (d.metric || "metric") + " of each seed so far";
      boxes($("#c-box"), names.map(n => ({ name: n, values: d.members.filter(m => m.strategy === n).map(m => m.best_metric).filter(x => x != null) })), "validation " + (d.metric || ""));
    }
    $("#members").innerHTML = `<table><thead><tr><th>strategy</th><th class="num">seed</th><th>status</th><th class="num">trainings</th><th class="num">best validation</th><th>run</th></tr></thead><tbody>` +
      d.members.map(m => `<tr><td>${esc(m.strategy)}</td><td class="num">${m.seed}</td><td>${statusBadge(m.status)}</td><td class="num">${m.evaluations}</td><td class="num">${fmt(m.best_metric)}</td><td><a href="#/run/${esc(pathHash(m.path))}">${esc(m.path)}</a></td></tr>`).join("") + `</tbody></table>`;
    $("#plots").innerHTML = d.plots.length ? `<h2>The report's plots</h2>` + d.plots.map(p => `<img class="plot" src="file?p=${encodeURIComponent(p)}" alt="${esc(p)}">`).join(" ") : `<h2>The report's plots</h2><p class="hint">When the comparison ends.</p>`;
  }, 2000);
}

// tableReport shows a comparison on a table: its report (regrets, not
// trainings) from its summary.json, and the plots the command drew.
function tableReport(d) {
  const s = d.table_summary;
  $("#title").textContent = d.title || d.path;
  $("#meta").innerHTML = `${statusBadge(d.status)} <b>${esc(d.kind)}</b> on table <b>${esc(d.table)}</b> · ${d.seeds} seeds · budget ${d.budget} evaluations a run, looked up in the table (none trained)` +
    (s ? ` · ${s.rows} configurations, ${esc(s.metric)} (${s.maximize ? "higher" : "lower"} is better) over ${s.repeats} repeats, best mean ${fmt(s.best_mean)} · ${fmt(s.wall_s, 3)} s` : "") +
    `<br><span class="hint">${esc(d.command)}</span>`;
  $("#errs").textContent = (d.errors || []).join("; ");
  const grid = $(".grid");
  if (!s) {
    grid.innerHTML = `<div class="card wide" id="table-report"><p class="hint">The comparison is running: a comparison on a table takes seconds, and its report appears when it ends. One stopped before the end leaves no report and is not listed.</p></div>`;
    return;
  }
  const q = x => `${fmt(x.median)} <span class="hint">[${fmt(x.q1)}, ${fmt(x.q3)}]</span>`;
  const ns = [...new Set(s.strategies.flatMap(x => Object.keys(x.at_budget || {})))].map(Number).sort((a, b) => a - b);
  const now = JSON.stringify([d.status, s.wall_s]);
  if (grid.dataset.drawn === now) return; // a finished report does not change
  grid.dataset.drawn = now;
  grid.innerHTML = `<div class="card wide" id="table-report"><h2>Final regret <span class="hint">the incumbent's mean over the table's repeats from the best mean, after ${s.budget} evaluations; lower is better</span></h2>
    <table id="regret-table"><thead><tr><th>strategy</th><th class="num">final regret median [q1, q3]</th><th class="num" title="evaluations at which the strategy's median curve reaches random search's median final regret">evaluations to random's median</th><th class="num">speed-up vs random</th><th class="num" title="two-sided Mann-Whitney U test of the final regrets">p vs random</th><th class="num" title="P(lower regret than random)">A12</th></tr></thead><tbody>` +
    s.strategies.map(x => `<tr><td>${esc(x.name)}</td><td class="num">${q(x.final_regret)}</td><td class="num">${fmt(x.evaluations_to_reach_random_median)}</td><td class="num">${x.speedup_vs_random != null ? fmt(x.speedup_vs_random, 3) + "x" : "–"}</td><td class="num">${fmt(x.p_value, 3)}</td><td class="num">${fmt(x.a12, 3)}</td></tr>`).join("") + `</tbody></table></div>
    <div class="card wide"><h2>Median regret [q1, q3] after n evaluations</h2><table><thead><tr><th>strategy</th>${ns.map(n => `<th class="num">${n}</th>`).join("")}</tr></thead><tbody>` +
    s.strategies.map(x => `<tr><td>${esc(x.name)}</td>${ns.map(n => `<td class="num">${x.at_budget[n] ? q(x.at_budget[n]) : "–"}</td>`).join("")}</tr>`).join("") + `</tbody></table></div>
    <div class="card wide" id="plots"><h2>The report's plots <span class="hint">regret against evaluations, median and quartile band over the seeds</span>${d.report ? ` · <a href="file?p=${encodeURIComponent(d.report)}">report.md</a>` : ""}</h2>` +
    (d.plots.length ? d.plots.map(p => `<img class="plot" src="file?p=${encodeURIComponent(p)}" alt="${esc(p)}">`).join(" ") : `<p class="hint">No plots in the directory.</p>`) + `</div>`;
}

function route() {
  clearTimeout(timer); timer = null;
  let h = location.hash.replace(/^#/, ""), opts = {};
  // #/run/PATH?lineage opens the lineage of the best genome at once; a ?
  // in PATH is escaped (pathHash).
  const q = h.indexOf("?");
  if (q >= 0) { for (const k of h.slice(q + 1).split("&")) opts[k] = true; h = h.slice(0, q); }
  try { h = decodeURIComponent(h); } catch (e) { h = ""; } // a bad escape: the runs list
  if (h.startsWith("/run/")) pageRun(h.slice(5), opts);
  else if (h.startsWith("/compare/")) pageCompare(h.slice(9));
  else pageRuns();
}
window.addEventListener("hashchange", route);
route();
