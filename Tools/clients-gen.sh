#!/usr/bin/env bash
# Regenerates the clients under clients/ from Protos/ with the protoc plugin
# Tools/protoc-gen-waiaas (built here first), or, with --check, regenerates
# into a temporary directory and fails when the committed files differ.
#   clients/python: protoc --python_out --pyi_out, plus --waiaas_out=lang=python
#   clients/js:     --waiaas_out=lang=js
#   Swift:          --waiaas_out=lang=swift into Sources/WaiaasProto/Generated
#                   (messages), Sources/WaiaasRPCClient/Generated (client) and
#                   Sources/WaiaasRPC/Generated (server protocol)
# Everything under clients/python, clients/js and the three Generated/
# directories is generated: hand edits are drift.
# WAIAAS_SCRATCH picks the SwiftPM scratch directory (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."

swift=${SWIFT:-swift}
scratch=${WAIAAS_SCRATCH:-.build}
"$swift" build --scratch-path "$scratch" --product protoc-gen-waiaas >/dev/null
plugin="$("$swift" build --scratch-path "$scratch" --show-bin-path)/protoc-gen-waiaas"
protos=$(cd Protos && find waiaas -name '*.proto' | sort)

generate() { # $1: destination laid out like clients/
    mkdir -p "$1/python" "$1/js"
    (cd Protos && protoc --plugin=protoc-gen-waiaas="$plugin" \
        --python_out="$1/python" --pyi_out="$1/python" --waiaas_out=lang=python:"$1/python" $protos)
    (cd Protos && protoc --plugin=protoc-gen-waiaas="$plugin" --waiaas_out=lang=js:"$1/js" $protos)
    # The policy refuses what it does not know (fail closed): strict decoding.
    mkdir -p "$1/swift"
    (cd Protos && protoc --plugin=protoc-gen-waiaas="$plugin" \
        --waiaas_out=lang=swift,strict=waiaas/v1/policy.proto:"$1/swift" $protos)
}

# Generated Swift: where each module directory of the output goes.
swift_dirs=(WaiaasProto:Sources/WaiaasProto/Generated WaiaasRPCClient:Sources/WaiaasRPCClient/Generated WaiaasRPC:Sources/WaiaasRPC/Generated)

# Files that are not generated output (installs and caches) never count as drift.
ignore=(-x __pycache__ -x '*.egg-info' -x build -x .mypy_cache -x node_modules)

if [[ "${1:-}" == "--check" ]]; then
    fresh=$(mktemp -d)
    trap 'rm -rf "$fresh"' EXIT
    generate "$fresh"
    status=0
    diff -r "${ignore[@]}" "$fresh/python" clients/python >&2 || status=1
    diff -r "${ignore[@]}" "$fresh/js" clients/js >&2 || status=1
    for pair in "${swift_dirs[@]}"; do
        diff -r "$fresh/swift/${pair%%:*}" "${pair#*:}" >&2 || status=1
    done
    if (( status != 0 )); then
        echo "proto-check: clients/ or Sources/*/Generated differs from a fresh protoc-gen-waiaas run: run 'make clients' and commit the result" >&2
        exit 1
    fi
    echo "proto-check: clients/ and Sources/*/Generated match Protos/"
else
    fresh=$(mktemp -d)
    trap 'rm -rf "$fresh"' EXIT
    generate "$fresh"
    rm -rf clients/python clients/js
    mkdir -p clients
    cp -R "$fresh/python" clients/python
    cp -R "$fresh/js" clients/js
    for pair in "${swift_dirs[@]}"; do
        rm -rf "${pair#*:}"
        cp -R "$fresh/swift/${pair%%:*}" "${pair#*:}"
    done
    echo "clients: regenerated clients/python, clients/js and Sources/*/Generated from Protos/"
fi
