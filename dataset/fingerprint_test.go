package dataset

import "testing"

func TestFingerprint(t *testing.T) {
	load := func(seed uint64, rows int) string {
		d, err := Load("seed-sum", Options{Seed: seed, Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		return d.Fingerprint()
	}
	a := load(1, 100)
	if b := load(1, 100); b != a {
		t.Errorf("same data, fingerprints %s and %s", a, b)
	}
	if b := load(2, 100); b == a {
		t.Error("another seed gave the same fingerprint")
	}
	if b := load(1, 101); b == a {
		t.Error("another size gave the same fingerprint")
	}
}
