package run

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/evonas/evonas/fitness"
)

// readLines reads a JSON lines log, calling decode for every good line. A
// torn last line (a write cut short by a crash, or still being written)
// is dropped; with cut it is also cut from the file, as a resume needs. A
// bad line elsewhere is an input error naming it. A missing file has no
// lines.
func readLines(path string, cut bool, decode func([]byte) error) (int, error) {
	lines, _, err := readLinesAt(path, 0, cut, decode)
	return lines, err
}

// readLinesAt is readLines from byte offset off, which must start a line;
// good is the offset after the last good line, where a later read can
// continue. Line numbers in errors count from off.
func readLinesAt(path string, off int64, cut bool, decode func([]byte) error) (lines int, good int64, err error) {
	good = off
	mode := os.O_RDONLY
	if cut {
		mode = os.O_RDWR
	}
	f, err := os.OpenFile(path, mode, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, good, nil
	}
	if err != nil {
		return 0, good, err
	}
	defer f.Close()
	if off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return 0, good, err
		}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return 0, good, err
	}
	r := bufio.NewReader(bytes.NewReader(data))
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			break
		}
		// A line without its newline is torn even if it decodes: it is
		// not decoded, so that it is neither counted nor replayed.
		complete := err == nil
		var derr error
		if complete {
			derr = decode(bytes.TrimSpace(line))
		}
		if derr != nil || !complete {
			if _, more := r.Peek(1); more == nil {
				return lines, good, inputf("%s:%d: %v", path, n, derr)
			}
			// The last line is torn: drop it.
			if cut {
				if terr := f.Truncate(good); terr != nil {
					return lines, good, terr
				}
			}
			break
		}
		lines++
		good += int64(len(line))
	}
	return lines, good, nil
}

// readEvaluations reads a run's evaluations.jsonl; with cut, a torn last
// line is cut from the file.
func readEvaluations(dir string, cut bool) ([]fitness.Record, error) {
	recs, _, err := readEvaluationsAt(dir, 0, cut)
	return recs, err
}

// readEvaluationsAt is readEvaluations from byte offset off (readLinesAt).
func readEvaluationsAt(dir string, off int64, cut bool) ([]fitness.Record, int64, error) {
	var recs []fitness.Record
	_, good, err := readLinesAt(filepath.Join(dir, EvaluationsFile), off, cut, func(b []byte) error {
		var r fitness.Record
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		if r.Key == "" {
			return fmt.Errorf("evaluation without a key")
		}
		recs = append(recs, r)
		return nil
	})
	return recs, good, err
}

// readGenerations reads a run's generations.jsonl; with cut, a torn last
// line is cut from the file.
func readGenerations(dir string, cut bool) ([]Generation, error) {
	var gens []Generation
	_, err := readLines(filepath.Join(dir, GenerationsFile), cut, func(b []byte) error {
		var g struct {
			Generation *int `json:"generation"`
		}
		if err := json.Unmarshal(b, &g); err != nil {
			return err
		}
		if g.Generation == nil {
			return fmt.Errorf("generation line without a generation")
		}
		var line Generation
		if err := json.Unmarshal(b, &line); err != nil {
			return err
		}
		gens = append(gens, line)
		return nil
	})
	return gens, err
}
