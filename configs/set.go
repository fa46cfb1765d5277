package configs

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Set sets the dotted key of c from a string, as written on a command line:
// Set(&c, "evolution.population", "40"). A list takes comma-separated
// elements ("relu,tanh"; "" is the empty list); stop.target_fitness takes
// "null", "none" or "" to turn it off. Values are decoded as strictly as in a
// file. An unknown key or a value of the wrong type is an *Error naming the
// key, and c is left unchanged. Set checks types only: call Validate after
// the last Set, since ranges depend on other keys. data.name and data.table
// exclude each other: setting one to a non-empty value clears the other.
// A range's list of choices replaces its min and max, as in a file: setting
// the choices sets min and max to their extremes, and setting min or max of
// a range that lists choices, which would change nothing, is an error.
func Set(c *Config, key, value string) error {
	l, ok := schema().byKey[key]
	if !ok {
		if schema().sections[key] {
			return &Error{Key: key, Msg: "is a section; set one of its keys, such as " + firstKeyUnder(key)}
		}
		msg := "unknown key"
		if s := Suggest(key, Keys()); s != "" {
			msg += " (did you mean " + s + "?)"
		} else if m := didYouMean(key[strings.LastIndexByte(key, '.')+1:], nil); m != "" {
			msg += m
		}
		return &Error{Key: key, Msg: msg}
	}
	if r, end, _ := cutLast(key); end == "min" || end == "max" {
		if ch, ok := schema().byKey[r+".choices"]; ok && reflect.ValueOf(c).Elem().FieldByIndex(ch.index).Len() > 0 {
			return &Error{Key: key, Msg: fmt.Sprintf("the config lists %s.choices, which replace min and max: set %[1]s.choices instead, or remove the choices from the config", r)}
		}
	}
	field := reflect.ValueOf(c).Elem().FieldByIndex(l.index)
	tmp := reflect.New(field.Type()).Elem()
	d := decoder{lines: map[string]int{}}
	if err := d.value(flagNode(field.Type(), value), tmp, key); err != nil {
		return err
	}
	field.Set(tmp)
	switch {
	case strings.HasSuffix(key, ".choices"):
		spanChoices(&c.SearchSpace)
	case key == "data.table" && value != "":
		c.Data.Name = ""
	case key == "data.name" && value != "":
		c.Data.Table = ""
	}
	return nil
}

// Override sets the dotted key of c as a command-line flag that overrides
// it does: as Set, but data.split takes the three fractions at once
// ("0.7,0.15,0.15"), and a data.name other than c's drops c's data.rows and
// data.noise, which described its own data set.
func Override(c *Config, key, value string) error {
	switch key {
	case "data.split":
		parts := strings.Split(value, ",")
		if len(parts) != 3 {
			return &Error{Msg: fmt.Sprintf("want three fractions like 0.7,0.15,0.15, got %q", value)}
		}
		for i, k := range []string{"data.split.train", "data.split.val", "data.split.test"} {
			if err := Set(c, k, strings.TrimSpace(parts[i])); err != nil {
				return err
			}
		}
		return nil
	case "data.name":
		if value != c.Data.Name {
			c.Data.Rows, c.Data.Noise = 0, 0
		}
	}
	return Set(c, key, value)
}

// flagNode builds the YAML node a command-line value stands for, so that Set
// shares the file decoder's rules.
func flagNode(t reflect.Type, value string) *yaml.Node {
	switch t.Kind() {
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		if strings.TrimSpace(value) == "" {
			return n
		}
		for _, e := range strings.Split(value, ",") {
			n.Content = append(n.Content, flagNode(t.Elem(), strings.TrimSpace(e)))
		}
		return n
	case reflect.Pointer:
		switch strings.ToLower(strings.TrimSpace(value)) {
		case "", "null", "~", "none", "off":
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		}
		return flagNode(t.Elem(), value)
	case reflect.String:
		// Taken literally: "" is a valid string and "yes" is not a boolean.
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strings.TrimSpace(value)}
}

// cutLast cuts a dotted key at its last dot: "a.b.c" is "a.b" and "c".
func cutLast(key string) (before, after string, found bool) {
	i := strings.LastIndexByte(key, '.')
	if i < 0 {
		return "", key, false
	}
	return key[:i], key[i+1:], true
}

func firstKeyUnder(section string) string {
	for _, l := range schema().leaves {
		if strings.HasPrefix(l.key, section+".") {
			return l.key
		}
	}
	return ""
}
