#!/usr/bin/env bash
# Regenerates the protoc-c C target from Protos/ into Sources/CWaiaasProto,
# or, with --check, regenerates into a temporary directory and fails when the
# committed files differ (generated code is committed; drift is an error).
set -euo pipefail
cd "$(dirname "$0")/.."

out_root=Sources/CWaiaasProto
protos=$(cd Protos && find waiaas -name '*.proto' | sort)

generate() { # $1: destination root laid out like Sources/CWaiaasProto
    local tmp; tmp=$(mktemp -d)
    (cd Protos && protoc-c --c_out="$tmp" $protos)
    mkdir -p "$1/include" "$1/waiaas"
    for f in $(cd "$tmp" && find . -name '*.pb-c.h'); do
        mkdir -p "$1/include/$(dirname "$f")"; cp "$tmp/$f" "$1/include/$f"
    done
    for f in $(cd "$tmp" && find . -name '*.pb-c.c'); do
        mkdir -p "$1/$(dirname "$f")"; cp "$tmp/$f" "$1/$f"
    done
    rm -rf "$tmp"
}

# protoc's own plugin protocol (descriptor.proto, plugin.proto from Debian's
# libprotobuf-dev and libprotoc-dev) for Tools/protoc-gen-waiaas, into
# Tools/CProtocPlugin with the same layout.
plugin_root=Tools/CProtocPlugin
plugin_protos="google/protobuf/descriptor.proto google/protobuf/compiler/plugin.proto"
generate_plugin() { # $1: destination root laid out like Tools/CProtocPlugin
    local tmp; tmp=$(mktemp -d)
    (cd /usr/include && protoc-c --c_out="$tmp" $plugin_protos)
    for f in $(cd "$tmp" && find . -name '*.pb-c.h'); do
        mkdir -p "$1/include/$(dirname "$f")"; cp "$tmp/$f" "$1/include/$f"
    done
    for f in $(cd "$tmp" && find . -name '*.pb-c.c'); do
        mkdir -p "$1/$(dirname "$f")"; cp "$tmp/$f" "$1/$f"
    done
    rm -rf "$tmp"
}
check_plugin() { # $1: a fresh generate_plugin output
    local status=0
    for f in $(cd "$1" && find . -name '*.pb-c.[ch]' | sort); do
        if ! cmp -s "$1/$f" "$plugin_root/$f"; then
            echo "proto-check: $plugin_root/${f#./} differs from a fresh protoc-c run" >&2
            status=1
        fi
    done
    return $status
}

if [[ "${1:-}" == "--check" ]]; then
    fresh=$(mktemp -d)
    plugin_fresh=$(mktemp -d)
    trap 'rm -rf "$fresh" "$plugin_fresh"' EXIT
    generate "$fresh"
    generate_plugin "$plugin_fresh"
    status=0
    check_plugin "$plugin_fresh" || status=1
    for f in $(cd "$fresh" && find . -name '*.pb-c.[ch]' | sort); do
        if ! cmp -s "$fresh/$f" "$out_root/$f"; then
            echo "proto-check: $out_root/${f#./} differs from a fresh protoc-c run" >&2
            status=1
        fi
    done
    for f in $(cd "$out_root" && find . -name '*.pb-c.[ch]' | sort); do
        if [[ ! -f "$fresh/$f" ]]; then
            echo "proto-check: $out_root/${f#./} has no proto any more" >&2
            status=1
        fi
    done
    if (( status != 0 )); then
        echo "proto-check: run 'make proto' and commit the result" >&2
        exit 1
    fi
    echo "proto-check: generated code matches Protos/"
else
    find "$out_root" -name '*.pb-c.[ch]' -delete
    generate "$out_root"
    echo "proto: regenerated $out_root from Protos/"
    find "$plugin_root" -name '*.pb-c.[ch]' -delete
    generate_plugin "$plugin_root"
    echo "proto: regenerated $plugin_root from descriptor.proto and plugin.proto"
fi
