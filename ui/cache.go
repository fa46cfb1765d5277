package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/run"
)

// cache keeps what was read of each search until its files change (see
// run.Dir.Stamp): a page polls every second, and a search of 10,000
// evaluations is megabytes of JSON to decode. It holds the records of a
// few searches, and the progress (small) of every one. A live search's
// evaluations.jsonl only grows, so each poll decodes only the lines
// appended since the last: reading it whole each time cost a request
// 6 s and the server 2.6 GB once a search had 200,000 evaluations.
type cache struct {
	mu       sync.Mutex
	records  map[string]*cachedRecords
	progress map[string]cachedProgress
	tick     int64
}

type cachedRecords struct {
	stamp string
	recs  []fitness.Record
	err   error
	used  int64
	file  os.FileInfo // evaluations.jsonl as it was before recs were read
	off   int64       // the offset in file after the last of recs
	tail  []byte      // the bytes before off: a file rewritten in place differs there
}

// tailOf is up to 256 bytes of path before off, or nil.
func tailOf(path string, off int64) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, min(off, 256))
	if _, err := f.ReadAt(b, off-int64(len(b))); err != nil {
		return nil
	}
	return b
}

type cachedProgress struct {
	stamp string
	p     progress
}

// maxCachedRecords is how many searches' records the cache holds.
const maxCachedRecords = 8

func newCache() *cache {
	return &cache{records: map[string]*cachedRecords{}, progress: map[string]cachedProgress{}}
}

// recordsOf returns d's records, read afresh only when its files changed.
// The slice is shared: callers must not change it.
func (c *cache) recordsOf(d *run.Dir) ([]fitness.Record, error) {
	stamp := d.Stamp()
	c.mu.Lock()
	c.tick++
	e, ok := c.records[d.Path]
	if ok && e.stamp == stamp {
		e.used = c.tick
		c.mu.Unlock()
		return e.recs, e.err
	}
	var was cachedRecords
	if ok {
		was = *e
	}
	c.mu.Unlock()
	path := filepath.Join(d.Path, run.EvaluationsFile)
	fi, _ := os.Stat(path)
	if ok && was.err == nil && was.file != nil && fi != nil && os.SameFile(fi, was.file) && fi.Size() >= was.off && bytes.Equal(tailOf(path, was.off), was.tail) {
		if recs, done := c.extend(d, e, stamp, fi); done {
			return recs, nil
		}
	}
	recs, off, err := d.RecordsFrom(0, 0)
	tail := tailOf(path, off)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(d.Path, &cachedRecords{stamp: stamp, recs: recs, err: err, used: c.tick, file: fi, off: off, tail: tail})
	return recs, err
}

// extend appends to e the records written after it was read, and reports
// whether it could: not if reading them failed (a full read says where)
// or another request extended or replaced e meanwhile.
func (c *cache) extend(d *run.Dir, e *cachedRecords, stamp string, fi os.FileInfo) ([]fitness.Record, bool) {
	c.mu.Lock()
	off, n := e.off, len(e.recs)
	c.mu.Unlock()
	more, next, err := d.RecordsFrom(off, n)
	tail := tailOf(filepath.Join(d.Path, run.EvaluationsFile), next)
	if err != nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.records[d.Path] != e || e.off != off {
		return nil, false
	}
	// Requests hold e.recs with their own lengths: appending past them
	// leaves what they see unchanged, and the lock keeps appends apart.
	e.recs = append(e.recs, more...)
	e.off, e.stamp, e.file, e.used, e.tail = next, stamp, fi, c.tick, tail
	return e.recs, true
}

// put caches recs under path, dropping the least recently used entry if
// the cache is full.
func (c *cache) put(path string, recs *cachedRecords) {
	if _, ok := c.records[path]; !ok && len(c.records) >= maxCachedRecords {
		var oldest string
		for k, e := range c.records {
			if oldest == "" || e.used < c.records[oldest].used {
				oldest = k
			}
		}
		delete(c.records, oldest)
	}
	c.records[path] = recs
}

// progressOf returns how far d has gone, read afresh only when its files
// changed.
func (c *cache) progressOf(d *run.Dir) progress {
	stamp := d.Stamp()
	c.mu.Lock()
	e, ok := c.progress[d.Path]
	c.mu.Unlock()
	if ok && e.stamp == stamp {
		return e.p
	}
	recs, err := c.recordsOf(d)
	p := progressFrom(recs, err)
	// A finished search's best is its winner's, as summary.json names it:
	// with objective.repeats the best single training overstates it.
	if sum, err := d.Summary(); err == nil && sum != nil {
		if v := sum.Best.ValAcc; v != nil {
			p.best = *v
		} else if v := sum.Best.ValR2; v != nil {
			p.best = *v
		}
	}
	c.mu.Lock()
	c.progress[d.Path] = cachedProgress{stamp, p}
	c.mu.Unlock()
	return p
}
