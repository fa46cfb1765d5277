package fitness

import (
	"testing"

	"github.com/evonas/evonas/network"
)

func TestArch(t *testing.T) {
	for _, tc := range []struct {
		layers []network.Layer
		want   string
	}{
		{nil, "[]"},
		{[]network.Layer{{Units: 64, Activation: network.ReLU}}, "[64 relu]"},
		{[]network.Layer{{Units: 8, Activation: network.Tanh, Dropout: 0.25}, {Units: 4, Activation: network.ReLU}}, "[8 tanh d0.25, 4 relu]"},
	} {
		if got := Arch(tc.layers); got != tc.want {
			t.Errorf("Arch(%v) = %q, want %q", tc.layers, got, tc.want)
		}
	}
}
