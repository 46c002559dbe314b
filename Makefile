# WAIaaS. `make run` and `make test` are the only commands a fresh Debian 12
# machine with Swift needs: both install missing system packages first.
SWIFT ?= swift
HOME_DIR ?= ./.waiaas
BIN = .build/debug
RELEASE_BIN = .build/release

.PHONY: all deps test-deps proto proto-check build release run test test-swift test-python bench clean

all: build

deps:
	@Tools/deps.sh

test-deps:
	@Tools/deps.sh test

proto: deps
	@Tools/proto-gen.sh

proto-check: deps
	@Tools/proto-gen.sh --check

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	$(BIN)/waiaasd serve --home $(HOME_DIR)

test: test-deps proto-check
	$(SWIFT) build --build-tests
	$(MAKE) test-swift test-python

test-swift:
	$(SWIFT) test --skip-build

test-python:
	WAIAAS_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/python

bench: deps
	$(SWIFT) build -c release --product waiaasd
	$(SWIFT) build -c release --product waiaas-bench
	$(RELEASE_BIN)/waiaas-bench --daemon $(RELEASE_BIN)/waiaasd

clean:
	rm -rf .build
