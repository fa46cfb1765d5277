package network

import (
	"encoding/json"
	"fmt"
)

type netJSON struct {
	Spec    Spec      `json:"spec"`
	Weights []float64 `json:"weights"`
}

// MarshalJSON writes the spec and every weight. Go's encoder writes the
// shortest decimal that parses back to the same float64, so a round trip
// is exact.
func (n *Net) MarshalJSON() ([]byte, error) {
	return json.Marshal(netJSON{Spec: n.spec, Weights: n.params})
}

// UnmarshalJSON reads a net written by MarshalJSON, checking that the
// weights fit the spec.
func (n *Net) UnmarshalJSON(b []byte) error {
	var v netJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := v.Spec.Validate(); err != nil {
		return err
	}
	if want := v.Spec.Params(); len(v.Weights) != want {
		return fmt.Errorf("network: %d weights for a spec of %d parameters", len(v.Weights), want)
	}
	m := newNet(v.Spec)
	if err := m.SetWeights(v.Weights); err != nil {
		return err
	}
	*n = *m
	return nil
}
