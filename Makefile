# evonas: neural architecture search with a genetic algorithm, in Go.
GO ?= go
FUZZTIME ?= 15s

.PHONY: all build test race bench bench-anchors fuzz lint clean

all: build test

build:
	$(GO) build -o bin/evonas ./cmd/evonas

# The test command CI runs: vet, the whole suite (fuzz seed corpora
# included), and the race detector on the packages that run concurrently.
test: lint
	$(GO) test ./...
	$(GO) test -race ./fitness ./search ./cmd/evonas

race:
	$(GO) test -race ./...

# Micro-benchmarks: the training step (0 allocs/op), data loading, genome
# operators.
bench:
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench . -benchmem ./network ./dataset ./genome

# evonas against PyTorch, side by side (needs Debian's python3-torch).
bench-anchors:
	bash bench/anchors.sh

# Short fuzz runs of every fuzz target.
fuzz:
	$(GO) test ./dataset -run '^$$' -fuzz '^FuzzParseCSV$$' -fuzztime $(FUZZTIME)
	$(GO) test ./genome -run '^$$' -fuzz '^FuzzGenomeOps$$' -fuzztime $(FUZZTIME)
	$(GO) test ./configs -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./model -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt -l:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin
