package configs

import (
	"reflect"
	"sort"
	"strings"
	"sync"
)

// A leaf is a settable key: a field of Config that is not itself a section.
type leaf struct {
	key   string // dotted, e.g. "evolution.selection.size"
	index []int  // for reflect.Value.FieldByIndex
}

// schemaInfo is the key structure of Config, read once from its yaml tags so
// that the decoder, Set, Keys and InitText cannot disagree about it.
type schemaInfo struct {
	leaves   []leaf // in struct order
	byKey    map[string]leaf
	sections map[string]bool // dotted keys whose value is a mapping
}

var schema = sync.OnceValue(func() *schemaInfo {
	s := &schemaInfo{byKey: map[string]leaf{}, sections: map[string]bool{}}
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			key := joinKey(prefix, tagName(f))
			idx := append(append([]int(nil), index...), i)
			if f.Type.Kind() == reflect.Struct {
				s.sections[key] = true
				walk(f.Type, key, idx)
				continue
			}
			l := leaf{key: key, index: idx}
			s.leaves = append(s.leaves, l)
			s.byKey[key] = l
		}
	}
	walk(reflect.TypeFor[Config](), "", nil)
	return s
})

// Keys returns every settable dotted key, sorted.
func Keys() []string {
	leaves := schema().leaves
	keys := make([]string, len(leaves))
	for i, l := range leaves {
		keys[i] = l.key
	}
	sort.Strings(keys)
	return keys
}

// tagName is the YAML key of a struct field.
func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name
}

// fieldIndex finds the field of struct type t whose YAML key is name.
func fieldIndex(t reflect.Type, name string) (int, bool) {
	for i := range t.NumField() {
		if tagName(t.Field(i)) == name {
			return i, true
		}
	}
	return 0, false
}

// fieldNames lists the YAML keys of struct type t in declaration order.
func fieldNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = tagName(t.Field(i))
	}
	return names
}

func joinKey(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// parentKey strips the last element of a dotted key: a list index
// ("a.b[2]" → "a.b") or a name ("a.b" → "a").
func parentKey(key string) string {
	if strings.HasSuffix(key, "]") {
		if i := strings.LastIndexByte(key, '['); i >= 0 {
			return key[:i]
		}
	}
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return ""
}
