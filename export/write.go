package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/evonas/evonas/model"
)

// The formats Files writes.
const (
	FormatONNX    = "onnx"
	FormatPyTorch = "pytorch"
)

// Formats lists the export formats.
var Formats = []string{FormatONNX, FormatPyTorch}

// FormatOf guesses the format from out's extension: .onnx or .py, else "".
func FormatOf(out string) string {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".onnx":
		return FormatONNX
	case ".py":
		return FormatPyTorch
	}
	return ""
}

// File is one file an export writes.
type File struct {
	Path string
	Data []byte
	What string // what the file is, for messages
}

// LayoutPath is where the ONNX model at path has its layout: path + ".json".
func LayoutPath(path string) string { return path + ".json" }

// Files returns the files that export m in format to out: for onnx the
// model and its layout (LayoutPath(out)); for pytorch the Python file.
// producer is the evonas version written into them.
func Files(m *model.Model, format, out, producer string) ([]File, error) {
	switch format {
	case FormatONNX:
		b, err := ONNX(m, producer)
		if err != nil {
			return nil, err
		}
		l := NewLayout(m)
		return []File{
			{Path: out, Data: b, What: fmt.Sprintf("ONNX model, opset %d, input %q [N, %d], output %q", Opset, l.Input, l.Features, l.Output)},
			{Path: LayoutPath(out), Data: l.JSON(), What: "its input layout"},
		}, nil
	case FormatPyTorch:
		b, err := PyTorch(m, producer, strings.TrimSuffix(filepath.Base(out), filepath.Ext(out)))
		if err != nil {
			return nil, err
		}
		return []File{{Path: out, Data: b, What: "PyTorch model, predict(rows)"}}, nil
	}
	return nil, fmt.Errorf("export: unknown format %q (want %s)", format, strings.Join(Formats, " or "))
}

// Write writes every file or none: each goes to a temporary file in its
// directory, and only when all are written and synced are they renamed into
// place. Files that exist are replaced; anything else (a directory, a
// device) is refused before anything is written.
func Write(files []File) error {
	tmps := make([]string, len(files))
	cleanup := func() {
		for _, t := range tmps {
			if t != "" {
				os.Remove(t)
			}
		}
	}
	for _, f := range files {
		// The rename would put a file in place of a device such as /dev/null.
		if st, err := os.Stat(f.Path); err == nil && !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", f.Path)
		}
	}
	for i, f := range files {
		tmp, err := writeTemp(f.Path, f.Data)
		if err != nil {
			cleanup()
			return err
		}
		tmps[i] = tmp
	}
	for i, f := range files {
		if err := os.Rename(tmps[i], f.Path); err != nil {
			cleanup()
			return named(err, f.Path)
		}
		tmps[i] = ""
	}
	return nil
}

func writeTemp(path string, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", named(err, path)
	}
	err = f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", named(err, path)
	}
	return f.Name(), nil
}

// named is err, from the temporary file that stands for path, as path's:
// the temporary file is gone by the time anyone reads the error, and path
// is the file that was asked for. The cause (a full disk, a missing
// directory) is kept.
func named(err error, path string) error {
	var (
		pe *fs.PathError
		le *os.LinkError
	)
	switch {
	case errors.As(err, &pe):
		return &fs.PathError{Op: pe.Op, Path: path, Err: pe.Err}
	case errors.As(err, &le):
		return &fs.PathError{Op: le.Op, Path: path, Err: le.Err}
	}
	return err
}
