package table

import (
	"bytes"
	"embed"
	"errors"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

//go:embed builtin
var builtin embed.FS

// Builtin returns the names of the tables shipped with evonas.
func Builtin() []string {
	entries, _ := fs.ReadDir(builtin, "builtin")
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".csv.gz") {
			names = append(names, Name(e.Name()))
		}
	}
	sort.Strings(names)
	return names
}

// Open loads the table at path or, when no such file exists, the shipped
// table of that name.
func Open(name string) (*Table, error) {
	t, err := Load(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return t, err
	}
	data, berr := builtin.ReadFile(path.Join("builtin", name+".csv.gz"))
	if berr != nil || strings.ContainsAny(name, "/\\") {
		return nil, &os.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return Read(bytes.NewReader(data), name+".csv.gz")
}
