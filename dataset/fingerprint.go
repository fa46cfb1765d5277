package dataset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
)

// Fingerprint is a content hash of the prepared data: task, classes,
// features and every value of the three splits. Two loads that give the
// same fingerprint train identically; a changed file, option or seed
// changes it.
func (d *Data) Fingerprint() string {
	h := sha256.New()
	var buf [8]byte
	str := func(s string) {
		binary.LittleEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	floats := func(v []float64) {
		binary.LittleEndian.PutUint64(buf[:], uint64(len(v)))
		h.Write(buf[:])
		b := make([]byte, 8*min(len(v), 4096))
		for len(v) > 0 {
			n := min(len(v), 4096)
			for i, x := range v[:n] {
				binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
			}
			h.Write(b[:8*n])
			v = v[n:]
		}
	}
	str(string(d.Task))
	for _, c := range d.Classes {
		str(c)
	}
	for _, f := range d.Features {
		str(f)
	}
	for _, s := range []Split{d.Train, d.Val, d.Test} {
		floats(s.X)
		floats(s.Y)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
