package configs

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that its errors are one-line
// *Errors, and that whatever it accepts is valid and survives YAML().
func FuzzParse(f *testing.F) {
	for _, name := range Embedded() {
		data, err := ReadEmbedded(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(InitText())
	f.Add([]byte("evolution:\n  population: 3\n  population: 4\n"))
	f.Add([]byte("search_space:\n  batch: &b [16, 32]\n  width: {choices: *b}\n"))
	f.Add([]byte("stop: {target_fitness: -1e300}\nname: \"a\\tb\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "f.yaml")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, want *Error", err, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error %q spans lines", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid config: %v", err)
		}
		text, err := c.YAML()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(text, "g.yaml")
		if err != nil {
			t.Fatalf("Parse(YAML()): %v\n%s", err, text)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("round trip changed the config:\n%+v\n%+v\n%s", c, again, text)
		}
	})
}
