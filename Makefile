# ISMS portal — `make help` lists the targets.
SHELL := /bin/bash
GO    ?= go

.PHONY: help run build test test-deps fuzz bench generate audit migrate-new

## help: list the targets
help:
	@awk '/^## / { sub(/^## /, ""); i = index($$0, ":"); printf "  %-12s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2) }' $(MAKEFILE_LIST)

## run: build and start the portal at http://127.0.0.1:8080 (its own PostgreSQL in ./var unless ISMS_DATABASE_URL is set)
run: build
	./bin/isms serve

## build: compile the isms binary into ./bin
build:
	$(GO) build -o bin/isms ./cmd/isms

## test: run every test against a real PostgreSQL and headless Chromium (installs them as root when missing), then the fuzzers briefly
test: test-deps
	$(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory fuzz

# The spreadsheet readers and value parsers take whatever people upload: each fuzz target runs
# for FUZZTIME (its committed seed corpus also runs with every `go test`). The budget is a count
# of inputs, not a duration: Go 1.26's fuzz coordinator can report a spurious "context deadline
# exceeded" when a duration ends while a worker is busy (go.dev/issue/75804).
FUZZ_TARGETS := FuzzReadCSV FuzzReadXLSX FuzzParseDate FuzzMatchLevel
FUZZTIME     ?= 20000x

## fuzz: run the ledger's fuzz targets for FUZZTIME inputs each (default 20000x)
fuzz:
	@for f in $(FUZZ_TARGETS); do \
		echo "fuzz $$f ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 200x ./internal/ledger/ || exit 1; \
	done

## test-deps: make sure PostgreSQL server binaries and Chromium are on this machine
test-deps:
	@bash scripts/test-deps.sh

## bench: measure the asset register at 1,000,000 assets (loaded once into var/bench or ISMS_BENCH_DATABASE_URL); prints BENCH lines
bench:
	@bash scripts/bench.sh

## generate: regenerate the templ components (*_templ.go)
generate:
	$(GO) tool templ generate

## audit: gofmt, go vet, and check that the committed *_templ.go files are fresh
audit:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) tool templ generate
	@git diff --exit-code -- '*_templ.go' || { echo "generated files are stale: run 'make generate' and commit"; exit 1; }

## migrate-new: add an empty migration pair, e.g. make migrate-new name=create_units
migrate-new:
	@bash scripts/migrate-new.sh "$(name)"
