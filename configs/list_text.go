package configs

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteList prints each shipped config with the first sentence of its
// leading comment, as evonas config list does.
func WriteList(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDESCRIPTION")
	for _, name := range Embedded() {
		desc, err := Description(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, desc)
	}
	return tw.Flush()
}

// WriteValid prints that the config read from name is valid, "NAME: ok",
// and its notes, "NAME: note: ...", as evonas config validate does.
func (c Config) WriteValid(w io.Writer, name string) error {
	if _, err := fmt.Fprintf(w, "%s: ok\n", name); err != nil {
		return err
	}
	for _, n := range c.Notes() {
		if _, err := fmt.Fprintf(w, "%s: note: %s\n", name, n); err != nil {
			return err
		}
	}
	return nil
}
