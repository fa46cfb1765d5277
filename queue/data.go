package queue

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/evonas/evonas/dataset"
)

// DataStore is the JetStream object store of prepared data sets, each
// under its fingerprint: a coordinator puts its run's data there, and
// workers fetch it by the fingerprint a job names.
const DataStore = "EVONAS_DATA"

// encodeData is the stored form of prepared data: gob, gzipped.
func encodeData(d *dataset.Data) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := gob.NewEncoder(zw).Encode(d); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeData reads encodeData's form and checks its fingerprint.
func decodeData(b []byte, fingerprint string) (*dataset.Data, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	var d dataset.Data
	if err := gob.NewDecoder(zr).Decode(&d); err != nil {
		return nil, err
	}
	if fp := d.Fingerprint(); fp != fingerprint {
		return nil, fmt.Errorf("the stored data give fingerprint %s", shortFP(fp))
	}
	return &d, nil
}

// putData stores d under its fingerprint unless it is there already.
func (c *Conn) putData(ctx context.Context, d *dataset.Data) error {
	store, err := c.dataStore(ctx)
	if err != nil {
		return err
	}
	fp := d.Fingerprint()
	if _, err := store.GetInfo(ctx, fp); err == nil {
		return nil
	} else if !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("queue: data store %s: %w", DataStore, err)
	}
	b, err := encodeData(d)
	if err != nil {
		return fmt.Errorf("queue: encoding the data: %w", err)
	}
	if _, err := store.PutBytes(ctx, fp, b); err != nil {
		return fmt.Errorf("queue: storing the data in %s: %w", DataStore, err)
	}
	return nil
}

// dataStore opens the object store of data sets.
func (c *Conn) dataStore(ctx context.Context) (jetstream.ObjectStore, error) {
	c.dataMu.Lock()
	defer c.dataMu.Unlock()
	if c.data != nil {
		return c.data, nil
	}
	store, err := c.js.ObjectStore(ctx, DataStore)
	if err != nil {
		return nil, err
	}
	c.data = store
	return store, nil
}

// dataCache keeps the last few data sets a worker fetched, by fingerprint.
type dataCache struct {
	mu      sync.Mutex
	entries []*dataEntry // most recently used last
}

type dataEntry struct {
	fp string
	mu sync.Mutex // held while fetching
	d  *dataset.Data
}

// dataCacheSize bounds the data sets a worker keeps (a comparison uses
// one per seed).
const dataCacheSize = 4

// get returns the data of ref, fetched from c's data store unless cached.
// Its errors are the worker's environment's, not the job's.
func (dc *dataCache) get(ctx context.Context, c *Conn, ref DataRef) (*dataset.Data, error) {
	dc.mu.Lock()
	var e *dataEntry
	for i, x := range dc.entries {
		if x.fp == ref.Fingerprint {
			e = x
			dc.entries = append(append(dc.entries[:i:i], dc.entries[i+1:]...), e)
			break
		}
	}
	if e == nil {
		e = &dataEntry{fp: ref.Fingerprint}
		dc.entries = append(dc.entries, e)
		if len(dc.entries) > dataCacheSize {
			dc.entries = dc.entries[1:]
		}
	}
	dc.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.d != nil {
		return e.d, nil
	}
	store, err := c.dataStore(ctx)
	if err != nil {
		return nil, &EnvError{Err: fmt.Errorf("data %s (%s): opening the data store %s: %w", ref.Name, shortFP(ref.Fingerprint), DataStore, err)}
	}
	b, err := store.GetBytes(ctx, ref.Fingerprint)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, &EnvError{Err: fmt.Errorf("data %s (%s) is not in the data store %s (purged, or the coordinator could not store it)",
			ref.Name, shortFP(ref.Fingerprint), DataStore), missing: ref.Fingerprint}
	}
	if err != nil {
		return nil, &EnvError{Err: fmt.Errorf("data %s (%s): fetching it: %w", ref.Name, shortFP(ref.Fingerprint), err)}
	}
	d, err := decodeData(b, ref.Fingerprint)
	if err != nil {
		return nil, &EnvError{Err: fmt.Errorf("data %s (%s): %w", ref.Name, shortFP(ref.Fingerprint), err)}
	}
	e.d = d
	return d, nil
}

func shortFP(fp string) string {
	if len(fp) > 19 {
		return fp[:19]
	}
	return fp
}
