package queue

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/network"
)

// Build identifies the evonas that trained a result: its version (module
// version and VCS revision, Go version, platform) and the fingerprint of
// its numbers, a hash of every number of a small reference training. Two
// builds whose Numbers agree give the same results bit for bit, whatever
// their versions; a coordinator refuses results whose Numbers differ from
// its own unless told otherwise.
type Build struct {
	Version string `json:"version"`
	Numbers string `json:"numbers"`
}

func (b Build) String() string { return b.Version + " numbers " + b.Numbers }

var (
	buildOnce sync.Once
	thisBuild Build
)

// ThisBuild is the build of this process. The reference training runs
// once, the first time (a few milliseconds).
func ThisBuild() Build {
	buildOnce.Do(func() {
		thisBuild = Build{Version: version(), Numbers: numbers()}
	})
	return thisBuild
}

// version describes the binary from its build information.
func version() string {
	v, rev, dirty := "devel", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev
		if dirty {
			v += "+dirty"
		}
	}
	return fmt.Sprintf("evonas %s %s %s/%s", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// numbers hashes every number of a reference training: two nets, in both
// precisions, with two optimizers.
func numbers() string {
	d, err := dataset.Load("seed-sum", dataset.Options{Seed: 1, Rows: 120})
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	h := sha256.New()
	var buf [8]byte
	put := func(x float64) {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
		h.Write(buf[:])
	}
	for _, p := range []network.Precision{network.Float64, network.Float32} {
		for _, g := range []genome.Genome{
			{Layers: []genome.Layer{{Units: 7, Activation: "relu"}, {Units: 5, Activation: "tanh"}}, LR: 0.01, Batch: 16, Optimizer: "adam"},
			{Layers: []genome.Layer{{Units: 6, Activation: "sigmoid"}}, LR: 0.05, Batch: 32, Optimizer: "sgd"},
		} {
			rec, _, err := fitness.Run(context.Background(), d, fitness.Settings{Epochs: 3, Momentum: 0.9, Precision: p}, g, 42)
			if err != nil {
				return "unknown (" + err.Error() + ")"
			}
			put(rec.Fitness)
			put(rec.Val.Loss)
			put(rec.Test.Loss)
			for _, x := range rec.Curve {
				put(x)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
