#!/usr/bin/env bash
# Installs the Debian packages WAIaaS needs, when missing: with apt-get when
# run as root, otherwise it names them and fails. Usage: Tools/deps.sh [test]
set -euo pipefail

build_pkgs=(pkg-config libprotobuf-c-dev protobuf-c-compiler libsodium-dev libssl-dev libsqlite3-dev libcurl4-openssl-dev)
# protoc and the plugin protocol's protos (descriptor.proto, plugin.proto) for make proto / make clients.
build_pkgs+=(protobuf-compiler libprotobuf-dev libprotoc-dev)
test_pkgs=(protobuf-compiler python3 python3-pip openssh-client)
# Node 18+ for the JavaScript client's contract tests (node --test).
test_pkgs+=(nodejs)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "test" ]]; then
    want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
# node may come from elsewhere (nvm, NodeSource); accept any node 18+ on PATH.
if command -v node >/dev/null 2>&1 && node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)'; then
    missing=("${missing[@]/nodejs}")
fi
# python3 and pip may come from elsewhere (pyenv); accept any on PATH.
if command -v python3 >/dev/null 2>&1; then
    missing=("${missing[@]/python3}")
fi
if python3 -m pip --version >/dev/null 2>&1; then
    missing=("${missing[@]/python3-pip}")
fi
filtered=()
for p in "${missing[@]}"; do [[ -n "$p" ]] && filtered+=("$p"); done

if (( ${#filtered[@]} > 0 )); then
    if [[ "$(id -u)" == "0" ]]; then
        echo "deps: installing ${filtered[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${filtered[@]}" >/dev/null
    else
        echo "deps: missing Debian packages: ${filtered[*]}" >&2
        echo "deps: install them with: sudo apt-get install ${filtered[*]}" >&2
        exit 1
    fi
fi

if [[ "${1:-}" == "test" ]]; then
    # Python peers for the tests: protobuf (messages from Protos/), pytest, solders.
    # mcp is pinned: the MCP tests are written against its 2.3.0 client.
    if ! python3 -c 'import google.protobuf, pytest, solders, solana, botocore, cryptography, moto, moto.server, mcp, importlib.metadata as m; assert m.version("mcp") == "2.3.0"' >/dev/null 2>&1; then
        echo "deps: installing Python test packages from Tests/python/requirements.txt"
        python3 -m pip install -q --disable-pip-version-check -r Tests/python/requirements.txt
    fi
fi
if [[ "${1:-}" == "test" ]]; then
    # The x402 tests' own environment: x402[svm] pins solana-py and solders
    # below what the main suite needs (Tests/x402/requirements.txt says why).
    if ! .venv-x402/bin/python -c 'import x402.mechanisms.svm, pytest, google.protobuf, solders.litesvm' >/dev/null 2>&1; then
        echo "deps: making .venv-x402 from Tests/x402/requirements.txt"
        rm -rf .venv-x402
        python3 -m venv .venv-x402
        .venv-x402/bin/python -m pip install -q --disable-pip-version-check -r Tests/x402/requirements.txt
    fi
fi
if [[ "${1:-}" == "test" ]]; then
    # The generated Python client is checked with mypy --strict when mypy is installable.
    if ! python3 -m mypy --version >/dev/null 2>&1 || ! python3 -m pip show -q types-protobuf >/dev/null 2>&1; then
        python3 -m pip install -q --disable-pip-version-check mypy types-protobuf \
            || echo "deps: mypy is not installable here; the mypy check of clients/python is skipped"
    fi
fi
