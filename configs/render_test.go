package configs

import (
	"math"
	"reflect"
	"testing"
)

// TestRenderScalarMatchesYAML: the fast path writes numbers and booleans
// exactly as the YAML encoder does.
func TestRenderScalarMatchesYAML(t *testing.T) {
	values := []any{true, false, 0, -3, 65536, int64(math.MaxInt64), uint64(1) << 63, uint(7),
		0.0, math.Copysign(0, -1), 1.0, 0.9, 1e-8, 3e-4, 1e21, 123456789.125, -2.5e-310, math.Inf(1), math.Inf(-1), math.NaN(),
		float32(0.1), float32(1e-8), float32(3.4e38)}
	for _, x := range values {
		v := reflect.ValueOf(x)
		got, ok := renderScalar(v)
		if !ok {
			t.Errorf("%T %v: no fast path", x, x)
			continue
		}
		want, err := renderYAML(v)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%T %v: fast path %q, YAML encoder %q", x, x, got, want)
		}
	}
	// Every key of the default config renders the same both ways.
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.Struct {
				walk(f)
				continue
			}
			if got, ok := renderScalar(f); ok {
				if want, _ := renderYAML(f); got != want {
					t.Errorf("%s: fast path %q, YAML encoder %q", v.Type().Field(i).Name, got, want)
				}
			}
		}
	}
	walk(reflect.ValueOf(Default()))
}
