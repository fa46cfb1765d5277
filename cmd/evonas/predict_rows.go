package main

import (
	"strings"

	"github.com/evonas/evonas/dataset"
)

// The --keep columns predict copies beside the predictions.

// keptColumns finds the --keep columns in t.
func keptColumns(t *dataset.Table, names []string) ([]*dataset.Column, error) {
	var cols []*dataset.Column
	for _, name := range names {
		var col *dataset.Column
		for i := range t.Columns {
			if t.Columns[i].Name == name {
				col = &t.Columns[i]
			}
		}
		if col == nil {
			var have []string
			for _, c := range t.Columns {
				have = append(have, c.Name)
			}
			return nil, usagef("--keep: %s has no column %q (columns: %s)", t.Source, name, strings.Join(have, ", "))
		}
		cols = append(cols, col)
	}
	return cols, nil
}
