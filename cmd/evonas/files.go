package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// checkWritable reports, before any work starts, whether a file can be
// created at path: its directory must exist and accept new files.
func checkWritable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("%s is a directory", path)
	} else if err == nil && !st.Mode().IsRegular() {
		// Files are written through a temporary file and a rename, which
		// would put a file in place of a device such as /dev/null.
		return usagef("%s is not a regular file (stdout is the default where a command prints)", path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usagef("%s: directory %s does not exist", path, dir)
		}
		return usageError{err}
	}
	if !st.IsDir() {
		return usagef("%s: %s is not a directory", path, dir)
	}
	f, err := os.CreateTemp(dir, ".evonas-write-check*")
	if err != nil {
		return usagef("%s: cannot write in %s: %v", path, dir, errors.Unwrap(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func dirOf(path string) string { return filepath.Dir(path) }
