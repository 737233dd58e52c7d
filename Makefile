# The lesson export service. `make run` starts everything on this machine;
# `make test` runs every test. Only Go is needed.

GO        ?= go
BIN       := $(CURDIR)/bin
TEMPORAL  := $(BIN)/temporal
DATA_DIR  ?= $(CURDIR)/data
FUZZTIME  ?= 15s

export LESSONEXPORT_TEMPORAL_CLI := $(TEMPORAL)

.PHONY: all build run test test-short chaos fuzz vet bench clean

all: build

## build: the service, the command-line converter, the starter and the Temporal CLI
build: $(TEMPORAL)
	$(GO) build -o $(BIN)/ ./cmd/lessonexport ./cmd/lessonexportd ./starter

# The Temporal CLI (development server and UI) comes from its own module file,
# so that its dependencies stay out of the service's module graph.
$(TEMPORAL): tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	@echo "building the Temporal CLI (a few minutes the first time)"
	cd tools && $(GO) build -o $(TEMPORAL) github.com/temporalio/cli/cmd/temporal

## run: Temporal development server, worker and web server, data under ./data
run: build
	LESSONEXPORT_DATA_DIR=$${LESSONEXPORT_DATA_DIR:-$(DATA_DIR)} $(BIN)/lessonexportd dev

## test: every test, the end-to-end one against a real Temporal development server included
test: $(TEMPORAL)
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

## chaos: fault and load tests against real processes (a few minutes)
chaos: build
	$(GO) test -tags chaos -count=1 -timeout 30m ./chaos/...

## test-short: unit tests only
test-short:
	$(GO) test -short -count=1 ./...

## fuzz: run each fuzz target for FUZZTIME
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## bench: Go benchmarks, then the comparison with pandoc and LibreOffice, storage
## against dd, and exports through Temporal (BENCHFLAGS=-quick skips Temporal)
BENCHFLAGS ?=
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./lesson/... ./render/... ./formats/... ./storage/...
	$(GO) run ./bench $(BENCHFLAGS)

clean:
	rm -rf $(BIN)
