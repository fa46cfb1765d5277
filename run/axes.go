package run

import "strings"

// ParseAxes reads a sweep's axes, each KEY=V1,V2,... (or V1;V2;... when a
// value holds commas), as evonas sweep's --set flags give them. A key
// given twice, or a missing key or values, is an InputError.
func ParseAxes(sets []string) ([]Axis, error) {
	var axes []Axis
	seen := map[string]bool{}
	for _, s := range sets {
		key, vals, ok := strings.Cut(s, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || vals == "" {
			return nil, inputf("--set %q: want KEY=V1,V2,...", s)
		}
		if seen[key] {
			return nil, inputf("--set: key %s given twice", key)
		}
		seen[key] = true
		sep := ","
		if strings.Contains(vals, ";") {
			sep = ";"
		}
		var values []string
		for _, v := range strings.Split(vals, sep) {
			values = append(values, strings.TrimSpace(v))
		}
		axes = append(axes, Axis{Key: key, Values: values})
	}
	return axes, nil
}
