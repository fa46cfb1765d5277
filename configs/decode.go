package configs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and parses the configuration file at path. A mistake in the file
// is an *Error naming path and the line; a file that cannot be read is
// reported as an I/O error wrapping the os error.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return Parse(data, path)
}

// Parse decodes and validates a YAML configuration. Keys the document leaves
// out keep their values from Default, except name, which defaults to the base
// name of file without its extension. Mappings are merged into the defaults
// key by key; a list replaces the default list. file is used only in error
// messages and for the default name. Every error is an *Error.
func Parse(data []byte, file string) (Config, error) {
	root, err := parseDocument(data)
	if err != nil {
		err.File = file
		return Config{}, err
	}
	c := Default()
	if name := nameFromFile(file); name != "" {
		c.Name = name
	}
	d := decoder{lines: map[string]int{}}
	if err := d.value(root, reflect.ValueOf(&c).Elem(), ""); err != nil {
		err.File = file
		return Config{}, err
	}
	d.normalize(&c)
	if err := c.validate(); err != nil {
		err.File = file
		err.Line = d.line(err.Key)
		return Config{}, err
	}
	return c, nil
}

// normalize resolves what depends on which keys the file sets: a list of
// choices replaces min and max, which are set to its extremes, and
// data.table without data.name clears the default data set.
func (d *decoder) normalize(c *Config) {
	spanChoices(&c.SearchSpace)
	_, table := d.lines["data.table"]
	_, name := d.lines["data.name"]
	if table && !name {
		c.Data.Name = ""
	}
}

// spanChoices sets the min and max of each range of s that lists choices
// to the list's extremes.
func spanChoices(s *SearchSpace) {
	if len(s.Width.Choices) > 0 {
		s.Width.Min, s.Width.Max = slices.Min(s.Width.Choices), slices.Max(s.Width.Choices)
	}
	for _, r := range []*FloatRange{&s.LR, &s.Dropout, &s.L2} {
		if len(r.Choices) > 0 && !slices.ContainsFunc(r.Choices, math.IsNaN) {
			r.Min, r.Max = slices.Min(r.Choices), slices.Max(r.Choices)
		}
	}
}

// nameFromFile is the default run name for a config read from file.
func nameFromFile(file string) string {
	base := filepath.Base(file)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	switch name {
	case ".", "-", string(filepath.Separator):
		return ""
	}
	return name
}

// yamlLine matches the position yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseDocument parses data as a single YAML document whose content is a
// mapping and returns that mapping.
func parseDocument(data []byte) (*yaml.Node, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Msg: "empty config"}
		}
		return nil, malformed(err, data)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, &Error{Line: doc.Line, Msg: "empty config"}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, malformed(err, data)
	case len(next.Content) > 0 && !isNull(next.Content[0]):
		return nil, &Error{Line: next.Line, Msg: "more than one YAML document; a config is one mapping"}
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, &Error{Line: root.Line, Msg: "config must be a mapping of keys to values, got " + describe(root)}
	}
	return root, nil
}

// malformed turns a yaml.v3 syntax error in data into an *Error with its
// line, saying so when a tab indents that line.
func malformed(err error, data []byte) *Error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	msg = strings.Join(strings.Fields(msg), " ")
	// yaml.v3 numbers a parser error's line from zero (its scanner errors
	// from one): an unclosed [ on line 5 is reported on line 4.
	if line > 0 && (strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found a tab character that violates indentation")) {
		line++
	}
	if lines := bytes.Split(data, []byte("\n")); line > 0 && line <= len(lines) {
		indent := lines[line-1][:len(lines[line-1])-len(bytes.TrimLeft(lines[line-1], " \t"))]
		if bytes.IndexByte(indent, '\t') >= 0 && !strings.Contains(msg, "tab") {
			msg += " (a tab indents this line: YAML indents with spaces only)"
		}
	}
	return &Error{Line: line, Msg: "malformed YAML: " + msg}
}

// decoder decodes YAML nodes into Config fields, rejecting what yaml.v3 would
// accept silently (unknown and duplicate keys, 2.5 into an int) and recording
// the line of every key so that validation errors can point at it.
type decoder struct {
	lines map[string]int // dotted key → line of the key in the file
}

// line returns the line of key, or of its nearest ancestor present in the
// file, or 0.
func (d *decoder) line(key string) int {
	for k := key; k != ""; k = parentKey(k) {
		if l, ok := d.lines[k]; ok {
			return l
		}
	}
	return 0
}

// value decodes n into v, which must be settable. key is v's dotted key.
// On error v may be partly written.
func (d *decoder) value(n *yaml.Node, v reflect.Value, key string) *Error {
	n = resolveAlias(n)
	switch v.Kind() {
	case reflect.Struct:
		return d.mapping(n, v, key)
	case reflect.Pointer:
		if isNull(n) {
			v.SetZero()
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := d.value(n, p.Elem(), key); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return &Error{Line: n.Line, Key: key, Msg: "expected a list of " + plural(v.Type().Elem()) + ", got " + describe(n)}
		}
		if len(n.Content) == 0 {
			v.SetZero() // an empty list is nil, as in Default
			return nil
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, e := range n.Content {
			ek := key + "[" + strconv.Itoa(i) + "]"
			d.lines[ek] = e.Line
			if err := d.value(e, s.Index(i), ek); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	return scalar(n, v, key)
}

// mapping decodes a YAML mapping into struct v. A null value (a section with
// every key commented out) leaves the defaults alone.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, key string) *Error {
	if isNull(n) {
		return nil
	}
	t := v.Type()
	if n.Kind != yaml.MappingNode {
		what := "a mapping"
		if t.NumField() <= 3 {
			what += " with keys " + strings.Join(fieldNames(t), ", ")
		}
		return &Error{Line: n.Line, Key: key, Msg: "expected " + what + ", got " + describe(n)}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return &Error{Line: k.Line, Key: key, Msg: "a key must be a plain name, got " + describe(k)}
		}
		full := joinKey(key, k.Value)
		if k.ShortTag() == "!!merge" {
			return &Error{Line: k.Line, Key: full, Msg: "merge keys are not supported"}
		}
		if full == "search_space.width_choices" {
			// The key before width.choices, as run directories written
			// then hold it: read into width.choices.
			full, val = "search_space.width.choices", resolveAlias(val)
			if first, dup := seen["width_choices"]; dup {
				return &Error{Line: k.Line, Key: full, Msg: fmt.Sprintf("duplicate key (first at line %d)", first)}
			}
			seen["width_choices"] = k.Line
			d.lines[full] = k.Line
			w := v.FieldByName("Width").FieldByName("Choices")
			if err := d.value(val, w, full); err != nil {
				return err
			}
			continue
		}
		f, ok := fieldIndex(t, k.Value)
		if !ok {
			return &Error{Line: k.Line, Key: full, Msg: "unknown key" + didYouMean(k.Value, fieldNames(t))}
		}
		if first, dup := seen[k.Value]; dup {
			return &Error{Line: k.Line, Key: full, Msg: fmt.Sprintf("duplicate key (first at line %d)", first)}
		}
		seen[k.Value] = k.Line
		d.lines[full] = k.Line
		if err := d.value(val, v.Field(f), full); err != nil {
			return err
		}
	}
	return nil
}

// didYouMean suggests a sibling key close to name or, failing that, a key
// with the same name in another section ("population" at the top level
// suggests evolution.population).
func didYouMean(name string, siblings []string) string {
	if s := Suggest(name, siblings); s != "" {
		return " (did you mean " + s + "?)"
	}
	var elsewhere []string
	for _, l := range schema().leaves {
		if l.key[strings.LastIndexByte(l.key, '.')+1:] == name {
			elsewhere = append(elsewhere, l.key)
		}
	}
	for s := range schema().sections {
		if s[strings.LastIndexByte(s, '.')+1:] == name {
			elsewhere = append(elsewhere, s)
		}
	}
	if len(elsewhere) == 1 {
		return " (did you mean " + elsewhere[0] + "?)"
	}
	return ""
}

// scalar decodes a scalar node into v, a bool, number or string. The node's
// resolved tag must fit the kind of v, so that a float is never truncated
// into an int and a quoted "10" is not taken for a number.
func scalar(n *yaml.Node, v reflect.Value, key string) *Error {
	if n.Kind != yaml.ScalarNode {
		return &Error{Line: n.Line, Key: key, Msg: "expected " + singular(v.Type()) + ", got " + describe(n)}
	}
	if isNull(n) {
		return &Error{Line: n.Line, Key: key, Msg: "missing value (expected " + singular(v.Type()) + ")"}
	}
	tag := n.ShortTag()
	ok := false
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
		return nil
	case reflect.Bool:
		ok = tag == "!!bool"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		ok = tag == "!!int"
	case reflect.Float64:
		ok = tag == "!!int" || tag == "!!float"
	default:
		panic("configs: no decoding for " + v.Type().String())
	}
	if ok && v.Kind() == reflect.Int {
		// Through int64, so that a number too large for int (on a 32-bit
		// system) is out of range, as a larger one is everywhere.
		var i int64
		if err := n.Decode(&i); err == nil {
			if v.OverflowInt(i) {
				return &Error{Line: n.Line, Key: key, Msg: fmt.Sprintf("must be <= %d, got %d", math.MaxInt, i)}
			}
			v.SetInt(i)
			return nil
		}
	} else if ok && n.Decode(v.Addr().Interface()) == nil {
		return nil
	}
	return &Error{Line: n.Line, Key: key, Msg: fmt.Sprintf("cannot decode %q as %s", n.Value, singular(v.Type()))}
}

// singular names what a value of type t must look like in YAML.
func singular(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Uint64:
		return "a non-negative integer"
	case reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return singular(t.Elem()) + " or null"
	}
	return "a string"
}

func plural(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int:
		return "integers"
	case reflect.Float64:
		return "numbers"
	}
	return "strings"
}

// describe shows a node in an error message.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "nothing"
}

func isNull(n *yaml.Node) bool {
	n = resolveAlias(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}
