# evonas: neural architecture search with a genetic algorithm, in Go.
GO ?= go
FUZZTIME ?= 15s

.PHONY: all build build-openblas test test-openblas race bench bench-anchors bench-pareto bench-tables bench-search bench-search-full bench-search-optuna fuzz lint clean

all: build test

# The version --version prints: git describe, which works in a worktree and
# with GOFLAGS=-buildvcs=false, where Go stamps no revision itself.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

build:
	$(GO) build -ldflags "-X main.buildVersion=$(VERSION)" -o bin/evonas ./cmd/evonas

# evonas with its matrix products on OpenBLAS (cgo; Debian: apt-get install
# libopenblas-dev). The network package links -lopenblas itself; set
# CGO_LDFLAGS=-L/dir for a library outside the linker's path. See
# docs/openblas.md.
build-openblas:
	CGO_ENABLED=1 $(GO) build -tags openblas -ldflags "-X main.buildVersion=$(VERSION)" -o bin/evonas-openblas ./cmd/evonas

# The test command CI runs: vet, the whole suite (fuzz seed corpora
# included), the race detector on the packages that run concurrently, and
# the packages that read files and configs again as a 32-bit program, where
# int is 32 bits (an amd64 Linux kernel runs it).
test: lint
	$(GO) test ./...
	$(GO) test -race ./fitness ./search ./queue ./run ./table ./cmd/evonas
	GOARCH=386 $(GO) test ./dataset ./configs ./model

# The network and fitness suites (gradient check, training, digits) with
# the products on OpenBLAS, to show both backends agree.
test-openblas:
	CGO_ENABLED=1 $(GO) vet -tags openblas ./network/... ./fitness
	CGO_ENABLED=1 $(GO) test -tags openblas ./network/... ./fitness

race:
	$(GO) test -race ./...

# Search strategies on the tabular benchmarks (docs/tables.md): 100 seeds,
# budget 1000, on ../shared/tables and the shipped table; a few minutes.
bench-tables:
	sh bench/tables.sh

# Micro-benchmarks: the training step by net size in float64 (Step*) and
# float32 (Step32*), each with 0 allocs/op, its GFLOP/s and its share of
# the core's peak for the precision (%peak; BenchmarkPeak prints the
# measured clock and FMA throughput it comes from), per wall second and per
# CPU second of the step's thread (the latter leaves out waiting for a core
# on a shared machine); data loading, genome operators (one thread); then
# a large net's step alone and with a lent core (two threads), and
# evaluations per second with 1 and 2 workers.
bench:
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench . -benchmem ./network ./dataset ./genome
	$(GO) test -run '^$$' -bench 'Step32(Wide|MNISTHelped)' -count 3 ./network
	$(GO) test -run '^$$' -bench EvaluatorWorkers -benchtime 3x -count 3 ./fitness

# evonas against PyTorch, side by side (needs Debian's python3-torch).
bench-anchors:
	bash bench/anchors.sh

# Search quality on the tabular benchmarks of ../shared/tables (override
# with TABLES=dir): median regret over 100 seeds of random search and the
# shipped default search at budgets 100, 200 and 1000, table lookups instead
# of trainings (docs/search-quality.md). bench-search-full adds every model
# as shipped before issue 12 and the levers one by one.
TABLES ?= ../shared/tables
bench-search:
	$(GO) run ./bench/searchquality -tables $(TABLES) -set default -seeds 100 -budgets 100,200,1000 -optuna bench/anchors/results

bench-search-full:
	$(GO) run ./bench/searchquality -tables $(TABLES) -set all -seeds 100 -budgets 100,200,1000

# Optuna's TPE and random samplers on the same tables, through the same
# protocol (needs Debian's python3-optuna; slow: TPE runs 30 seeds).
bench-search-optuna:
	bash bench/anchors/optuna_tables.sh

# evonas's Pareto search against Optuna's NSGAIISampler on the FCNet tables
# (needs Debian's python3-optuna and ../shared/tables).
bench-pareto:
	bash bench/pareto.sh

# Short fuzz runs of every fuzz target.
fuzz:
	$(GO) test ./dataset -run '^$$' -fuzz '^FuzzParseCSV$$' -fuzztime $(FUZZTIME)
	$(GO) test ./genome -run '^$$' -fuzz '^FuzzGenomeOps$$' -fuzztime $(FUZZTIME)
	$(GO) test ./configs -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./model -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./table -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME)

# gofmt and vet, here and for two other systems: the code and its tests
# must build where the kernels' assembly does not run (Apple silicon, Linux
# on ARM) and where Unix calls do not exist (Windows).
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt -l:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	GOARCH=386 $(GO) vet ./...

clean:
	rm -rf bin
