package genome

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

func base() Genome {
	return Genome{
		Layers:    []Layer{{64, "relu", 0}, {32, "tanh", 0.1}},
		LR:        0.001,
		Batch:     32,
		L2:        0,
		Optimizer: "adam",
	}
}

func TestKey(t *testing.T) {
	if got, want := base().Key(), "64:relu:0,32:tanh:0.1|lr=0.001|batch=32|l2=0|opt=adam"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
	if got, want := (Genome{LR: 1e-4, Batch: 1, L2: 1e-5, Optimizer: "sgd"}).Key(), "|lr=0.0001|batch=1|l2=1e-05|opt=sgd"; got != want {
		t.Errorf("Key() of a genome without layers = %q, want %q", got, want)
	}

	// Each case changes one gene of base; every key must differ from base's
	// and from every other case's.
	tests := []struct {
		name   string
		change func(g *Genome)
	}{
		{"units", func(g *Genome) { g.Layers[0].Units = 65 }},
		{"activation", func(g *Genome) { g.Layers[1].Activation = "relu" }},
		{"dropout", func(g *Genome) { g.Layers[0].Dropout = 1e-17 }},
		{"lr", func(g *Genome) { g.LR = math.Nextafter(0.001, 1) }},
		{"batch", func(g *Genome) { g.Batch = 33 }},
		{"l2", func(g *Genome) { g.L2 = 5e-324 }},
		{"optimizer", func(g *Genome) { g.Optimizer = "sgd" }},
		{"fewer layers", func(g *Genome) { g.Layers = g.Layers[:1] }},
		{"more layers", func(g *Genome) { g.Layers = append(g.Layers, Layer{32, "tanh", 0.1}) }},
		{"swapped layers", func(g *Genome) { g.Layers[0], g.Layers[1] = g.Layers[1], g.Layers[0] }},
		{"no layers", func(g *Genome) { g.Layers = nil }},
		// Names holding the key's separators must not collide with other genomes.
		{"activation with separators", func(g *Genome) { g.Layers = []Layer{{64, "relu:0,32:tanh", 0.1}} }},
		{"optimizer with separators", func(g *Genome) { g.Optimizer = "adam|x" }},
		{"empty optimizer", func(g *Genome) { g.Optimizer = "" }},
	}
	seen := map[string]string{base().Key(): "base"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := base()
			tc.change(&g)
			k := g.Key()
			if other, ok := seen[k]; ok {
				t.Errorf("Key() = %q, same as for %s", k, other)
			}
			seen[k] = tc.name
			if c := g.Clone(); c.Key() != k {
				t.Errorf("Clone().Key() = %q, want %q", c.Key(), k)
			}
		})
	}

	negZero := base()
	negZero.Layers[0].Dropout = math.Copysign(0, -1)
	if got, want := negZero.Key(), base().Key(); got != want {
		t.Errorf("Key() with dropout -0 = %q, want %q as for the equal 0", got, want)
	}
}

func TestArch(t *testing.T) {
	tests := []struct {
		g    Genome
		want string
	}{
		{base(), "[64 relu, 32 tanh d0.1]"},
		{Genome{}, "[]"},
		{Genome{Layers: []Layer{{128, "elu", 0.123456}}}, "[128 elu d0.123]"},
	}
	for _, tc := range tests {
		if got := tc.g.Arch(); got != tc.want {
			t.Errorf("Arch() = %q, want %q", got, tc.want)
		}
	}
}

func TestClone(t *testing.T) {
	g := base()
	c := g.Clone()
	c.Layers[0].Units = 1
	if g.Layers[0].Units != 64 {
		t.Errorf("changing the clone's layer changed the original to %d units", g.Layers[0].Units)
	}
	if (Genome{}).Clone().Layers != nil {
		t.Errorf("Clone of nil layers is not nil")
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name   string
		change func(g *Genome)
		want   float64
	}{
		{"same", func(g *Genome) {}, 0},
		{"half width", func(g *Genome) { g.Layers[0].Units = 32 }, 1},
		{"width capped", func(g *Genome) { g.Layers[0].Units = 1 << 20 }, 4},
		{"activation", func(g *Genome) { g.Layers[0].Activation = "elu" }, 1},
		{"dropout", func(g *Genome) { g.Layers[1].Dropout = 0.35 }, 0.5},
		{"extra layer", func(g *Genome) { g.Layers = append(g.Layers, Layer{8, "relu", 0}) }, 2},
		{"no layers", func(g *Genome) { g.Layers = nil }, 4},
		{"lr tenfold", func(g *Genome) { g.LR = 0.01 }, 1},
		{"batch doubled", func(g *Genome) { g.Batch = 64 }, 1},
		{"optimizer", func(g *Genome) { g.Optimizer = "sgd" }, 1},
		{"l2 on", func(g *Genome) { g.L2 = 9e-6 }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := base(), base()
			tc.change(&b)
			if got := Distance(a, b); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Distance = %v, want %v", got, tc.want)
			}
		})
	}

	// Properties over sampled genomes and their mutants, which are often
	// close: zero exactly for equal keys, symmetric, triangle inequality.
	s := testSpaces[0].space
	rng := newRand(8)
	var gs []Genome
	for range 60 {
		g := s.Sample(rng)
		gs = append(gs, g)
		m := g.Clone()
		s.Mutate(&m, Rates{}, rng)
		gs = append(gs, m)
	}
	// Values a step apart or outside any space must still count.
	tiny := base()
	tiny.LR = math.Nextafter(tiny.LR, 1)
	neg := base()
	neg.Batch, neg.LR, neg.L2 = -1, -1, -1
	neg2 := neg.Clone()
	neg2.Batch, neg2.LR, neg2.L2 = -2, -2, -2
	gs = append(gs, base(), tiny, neg, neg2, Genome{})

	for i, a := range gs {
		for j, b := range gs {
			d := Distance(a, b)
			if math.IsNaN(d) || d < 0 {
				t.Fatalf("Distance(%s, %s) = %v", a.Key(), b.Key(), d)
			}
			if (d == 0) != (a.Key() == b.Key()) {
				t.Fatalf("Distance(%s, %s) = %v", a.Key(), b.Key(), d)
			}
			if e := Distance(b, a); e != d {
				t.Fatalf("Distance(a, b) = %v, Distance(b, a) = %v for %s, %s", d, e, a.Key(), b.Key())
			}
			if i >= 60 || j >= 60 {
				continue
			}
			for _, c := range gs[:60] {
				if via := Distance(a, c) + Distance(c, b); d > via*(1+1e-12)+1e-12 {
					t.Fatalf("triangle inequality: d(a,b) = %v > d(a,c)+d(c,b) = %v\na %s\nb %s\nc %s", d, via, a.Key(), b.Key(), c.Key())
				}
			}
		}
	}
}

func TestJSON(t *testing.T) {
	b, err := json.Marshal(base())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"layers":[{"units":64,"activation":"relu","dropout":0},{"units":32,"activation":"tanh","dropout":0.1}],"lr":0.001,"batch":32,"l2":0,"optimizer":"adam"}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}

	rng := newRand(9)
	for _, tc := range testSpaces {
		for range 20 {
			g := tc.space.Sample(rng)
			b, err := json.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			var got Genome
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("json.Unmarshal(%s): %v", b, err)
			}
			if !reflect.DeepEqual(got, g) || got.Key() != g.Key() {
				t.Fatalf("round trip of %s gave %s", g.Key(), got.Key())
			}
		}
	}
}
