package ui

import (
	"sync"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/run"
)

// cache keeps what was read of each search until its files change (see
// run.Dir.Stamp): a page polls every second, and a search of 10,000
// evaluations is megabytes of JSON to decode. It holds the records of a
// few searches, and the progress (small) of every one.
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
	if e, ok := c.records[d.Path]; ok && e.stamp == stamp {
		e.used = c.tick
		c.mu.Unlock()
		return e.recs, e.err
	}
	c.mu.Unlock()
	recs, err := d.Records()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.records) >= maxCachedRecords {
		var oldest string
		for k, e := range c.records {
			if oldest == "" || e.used < c.records[oldest].used {
				oldest = k
			}
		}
		delete(c.records, oldest)
	}
	c.records[d.Path] = &cachedRecords{stamp: stamp, recs: recs, err: err, used: c.tick}
	return recs, err
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
