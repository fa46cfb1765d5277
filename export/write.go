package export

import (
	"fmt"
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
		tmp, err := model.WriteTemp(f.Path, f.Data)
		if err != nil {
			cleanup()
			return err
		}
		tmps[i] = tmp
	}
	for i, f := range files {
		err := model.RenameInto(tmps[i], f.Path)
		tmps[i] = ""
		if err != nil {
			cleanup()
			return err
		}
	}
	return nil
}
