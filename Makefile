# WAIaaS. `make run` and `make test` are the only commands a fresh Debian 12
# machine with Swift needs: both install missing system packages first.
SWIFT ?= swift
HOME_DIR ?= ./.waiaas
# `make run RPC_URL=https://api.devnet.solana.com` lets the daemon see a chain
# (balances, transfers, x402); empty, it runs offline.
RPC_URL ?=
BIN = .build/debug
RELEASE_BIN = .build/release

.PHONY: all deps test-deps proto proto-check build release run test test-swift test-python bench bench-micro clean

all: build

deps:
	@Tools/deps.sh

test-deps:
	@Tools/deps.sh test

proto: deps
	@Tools/proto-gen.sh

proto-check: deps
	@Tools/proto-gen.sh --check
	@Tools/clients-gen.sh --check

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	$(BIN)/waiaasd serve --dev --home $(HOME_DIR) $(if $(RPC_URL),--rpc-url $(RPC_URL))

test: test-deps lint-runtimes proto-check
	$(SWIFT) build --build-tests
	$(MAKE) test-swift test-python
	$(MAKE) test-contract

test-swift:
	$(SWIFT) test --skip-build

test-python:
	WAIAAS_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/python
	WAIAAS_BIN=$(CURDIR)/$(BIN) .venv-x402/bin/python -m pytest -q Tests/x402

bench: deps
	$(SWIFT) build -c release --product waiaasd
	$(SWIFT) build -c release --product waiaas-bench
	$(SWIFT) build -c release --product waiaas-bare-signer
	$(RELEASE_BIN)/waiaas-bench --daemon $(RELEASE_BIN)/waiaasd
	@Tools/deps.sh test
	$(SWIFT) build -c release --product waiaas
	python3 Tests/bench/lookup_tables.py --bin $(RELEASE_BIN)

# Micro-benchmarks of the Sign path's pieces (frame codec, decode, policy,
# ledger append) with ordo-one/benchmark, in its own package (Perf/) so that
# `make test` never builds the harness. Not part of `make test`.
bench-micro: deps
	cd Perf && $(SWIFT) package --disable-sandbox benchmark --target WaiaasHot --no-progress

# The Solana codec's tests (truncation at every offset, every single-byte
# mutation, random garbage) under the address sanitizer, in its own scratch
# directory so it never invalidates the normal build. Leak detection is off:
# swift-corelibs-xctest never frees its test-case instances, which LSan reports.
.PHONY: check-asan
check-asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --scratch-path .build-asan --sanitize=address --filter WaiaasSolanaTests

clean:
	rm -rf .build

# The generated code (docs/CLIENTS.md): protoc-gen-waiaas writes clients/python,
# clients/js and the Swift messages, client and server protocol under
# Sources/WaiaasProto/Generated and Sources/WaiaasRPC/Generated from Protos/;
# `make proto-check` fails when any of them drifts.
.PHONY: clients test-contract
clients: deps
	@Tools/clients-gen.sh

# Contract tests (Tests/Contract): golden bytes and live-daemon scenarios, the
# same for every client; the Swift half runs in test-swift (WaiaasContractTests).
# test_swift_codegen.py compiles lang=swift output for every field kind
# (Tests/Contract/codegen) and checks it against Python protobuf.
test-contract:
	WAIAAS_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/Contract/python
	WAIAAS_BIN=$(CURDIR)/$(BIN) node --test Tests/Contract/js/
	if python3 -m mypy --version >/dev/null 2>&1; then cd clients/python && python3 -m mypy --strict waiaas; else echo "mypy not installed: skipping the mypy check of clients/python"; fi

# The runtimes protoc-gen-waiaas embeds (Tools/protoc-gen-waiaas/Runtime) compile
# as Python and parse as ES modules. The .js files go to node on stdin: Node 20's
# `node --check file.js` passes an ES module with a syntax error.
.PHONY: lint-runtimes
lint-runtimes:
	PYTHONPYCACHEPREFIX=$(CURDIR)/.build/pycache python3 -m py_compile Tools/protoc-gen-waiaas/Runtime/_rpc.py
	for f in Tools/protoc-gen-waiaas/Runtime/*.js; do node --check --input-type=module < $$f || { echo "lint-runtimes: $$f" >&2; exit 1; }; done

# Coverage-guided fuzzing with libFuzzer (Fuzz/README.md): builds the targets in
# Fuzz/Targets under -sanitize=fuzzer,address in .build-fuzz and runs each for
# SECONDS (default 30) on a scratch copy of its seed corpus; fails on any crash.
.PHONY: fuzz
fuzz: deps
	@Tools/fuzz.sh --seconds $(or $(SECONDS),30)
