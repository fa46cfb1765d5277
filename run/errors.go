package run

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/evonas/evonas/dataset"
)

// InputError is a user's mistake this package finds: a directory that is
// not a run or already holds one, a resume that would change the meaning
// of past evaluations, a bad line in a run's file, data that cannot be
// found. Commands exit with status 2 on it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputf(format string, args ...any) error {
	return &InputError{fmt.Errorf(format, args...)}
}

// LoadData loads a built-in data set or a CSV file, saying which names
// were tried when neither exists (an *InputError for which
// errors.Is(err, fs.ErrNotExist) holds).
func LoadData(name string, opts dataset.Options) (*dataset.Data, error) {
	d, err := dataset.Load(name, opts)
	return d, noData(name, err)
}

// loadTable is dataset.LoadTable with LoadData's error for a name that is
// neither a file nor a built-in data set.
func loadTable(name string, opts dataset.Options) (*dataset.Table, error) {
	t, err := dataset.LoadTable(name, opts)
	return t, noData(name, err)
}

// noData is err, or, when the data name is neither a file nor a built-in
// data set, an InputError that says so and wraps err, so that
// errors.Is(err, fs.ErrNotExist) still holds.
func noData(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &InputError{&saying{fmt.Sprintf("data %q: no such file, and no built-in data set of that name (evonas datasets lists them)", name), err}}
	}
	return err
}

// saying is an error that says msg and wraps err, whose own text msg
// replaces.
type saying struct {
	msg string
	err error
}

func (e *saying) Error() string { return e.msg }
func (e *saying) Unwrap() error { return e.err }

// CheckWritable reports, before any work starts, whether a file can be
// created at path: its directory must exist and accept new files.
func CheckWritable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return inputf("%s is a directory", path)
	} else if err == nil && !st.Mode().IsRegular() {
		// Files are written through a temporary file and a rename, which
		// would put a file in place of a device such as /dev/null.
		return inputf("%s is not a regular file (stdout is the default where a command prints)", path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return inputf("%s: directory %s does not exist", path, dir)
		}
		return &InputError{err}
	}
	if !st.IsDir() {
		return inputf("%s: %s is not a directory", path, dir)
	}
	f, err := os.CreateTemp(dir, ".evonas-write-check*")
	if err != nil {
		return inputf("%s: cannot write in %s: %v", path, dir, errors.Unwrap(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// prepareRunDir creates a search's run directory, refusing one that
// already holds a run, and checks it can be written before any training
// starts. Its parent must exist, but for the default runs/ directory.
func prepareRunDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, InfoFile)); err == nil {
		return inputf("run directory %s already holds a run; choose another --out, or continue it with evonas resume %s", dir, ShellQuote(dir))
	}
	if _, err := os.Stat(filepath.Join(dir, EvaluationsFile)); err == nil {
		return inputf("run directory %s already holds a run; choose another --out", dir)
	}
	if err := refuseOverwrite(dir, ConfigFile, GenerationsFile, CheckpointFile, SummaryFile, BestFile); err != nil {
		return err
	}
	return makeOutDir(dir)
}

// refuseOverwrite refuses an existing directory (--out ., say) that holds
// a file of one of the names a new run would write.
func refuseOverwrite(dir string, names ...string) error {
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			return inputf("output directory %s already holds %s, which a new run would overwrite; choose another --out (a new or empty directory)", dir, n)
		}
	}
	return nil
}

// makeOutDir creates an output directory whose parent exists (runs/, the
// default parent, is created) and checks that it can be written.
func makeOutDir(dir string) error {
	if strings.TrimSpace(dir) == "" {
		return inputf("output directory %q is blank; choose another --out", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if parent == "runs" {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return inputf("output directory %s: %v", dir, errors.Unwrap(err))
		}
	}
	if st, err := os.Stat(parent); err != nil {
		return inputf("output directory %s: parent directory %s does not exist", dir, parent)
	} else if !st.IsDir() {
		return inputf("output directory %s: %s is not a directory", dir, parent)
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return inputf("output directory %s: %v", dir, errors.Unwrap(err))
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return inputf("output directory %s is a file; choose another --out", dir)
	}
	return CheckWritable(filepath.Join(dir, SummaryFile))
}

// finite returns &v, or nil (JSON null) when v is NaN or infinite.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// orNaN is *p, or NaN for nil.
func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// OptionError is a bad value of an option of this package's functions,
// one a command takes from a flag: Name is the option ("queue", "seeds",
// "evaluations"), Err what is wrong with its value. A command maps Name to
// its flag.
type OptionError struct {
	Name string
	Err  error
}

func (e *OptionError) Error() string  { return e.Name + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error  { return e.Err }
func (e *OptionError) Option() string { return e.Name }

func optionf(name, format string, args ...any) error {
	return &OptionError{name, fmt.Errorf(format, args...)}
}

// ShellQuote is s as one word of a POSIX shell command line: unchanged when
// it holds only letters, digits and -_./:=,+@%, else in single quotes. The
// commands evonas suggests (evonas resume DIR, predict --model FILE) quote
// their paths with it, so that they can be copied as they are printed.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
