#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/Targets and runs them (Fuzz/README.md).
#
#   Tools/fuzz.sh [--seconds N] [--runs N] [--release] [--build-only] [TARGET...]
#
# The package's library modules are built with SwiftPM under the fuzzer and
# address sanitizers into .build-fuzz (never .build); each target is then
# compiled with swiftc against those modules and linked with their objects.
# Every target runs for N seconds (default 30), or N executions, or until
# either when both are given, on a scratch copy of its seed corpus
# Fuzz/corpus/TARGET (the committed corpus is never written). Prints
# executions and crashes per target and a summary line; exits non-zero when
# a target crashed (the input is kept in .build-fuzz/run/TARGET/artifacts/)
# or did not build.
#
# Environment: FUZZ_JOBS (swift build -j, default 1), FUZZ_NICE (default 10),
# FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SWIFT=${SWIFT:-swift}
SWIFTC=${SWIFTC:-${SWIFT}c}
SCRATCH=$ROOT/.build-fuzz
JOBS=${FUZZ_JOBS:-1}
NICE=(nice -n "${FUZZ_NICE:-10}")
ALL_TARGETS=(frame envelope solana offchain cbor policy json)
# The library targets the fuzz targets import (with what they depend on).
LIBRARIES=(NIOEmbedded WaiaasRPC WaiaasPolicy WaiaasAttestation)

seconds=
runs=
config=debug
build_only=0
targets=()
while (( $# > 0 )); do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --release) config=release; shift ;;
        --build-only) build_only=1; shift ;;
        -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
(( ${#targets[@]} > 0 )) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
    [[ -f Fuzz/Targets/$t.swift ]] || { echo "fuzz: no target $t (Fuzz/Targets/$t.swift)" >&2; exit 2; }
done
[[ -z $seconds && -z $runs ]] && seconds=30
[[ -z $seconds || "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: --seconds takes a whole number" >&2; exit 2; }
[[ -z $runs || "$runs" =~ ^[0-9]+$ ]] || { echo "fuzz: --runs takes a whole number" >&2; exit 2; }

# 1. The library modules, instrumented. Release keeps preconditions and
# overflow checks (only -Ounchecked drops them) and runs several times faster.
# SwiftPM keeps its sanitizers in a set and passes each as its own
# -sanitize= flag, in an order that changes from run to run; swiftc keeps
# only the last one. So the modules came out with ASan alone (no coverage:
# libFuzzer blind to everything but the target's own file) about every
# other build. The combined flag, passed after SwiftPM's, is the one kept.
swiftpm=("$SWIFT" build --scratch-path "$SCRATCH" -c "$config" -j "$JOBS" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
[[ $config == release ]] && swiftpm+=(-Xswiftc -enable-testing)
mkdir -p "$SCRATCH"
log=$SCRATCH/build-$config.log
: > "$log"
start=$(date +%s)
for lib in "${LIBRARIES[@]}"; do
    if ! "${NICE[@]}" "${swiftpm[@]}" --target "$lib" >>"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "fuzz: building $lib failed (log: $log)" >&2
        exit 1
    fi
done
BIN=$("${swiftpm[@]}" --show-bin-path)

# 2. What a client of those modules needs: the C modules' maps and headers,
# and the objects of every library module. The objects are the ones SwiftPM
# itself would link into the package's test product (so a deleted source's
# stale object is never picked up), less the test modules, and only those
# that were built (the modules above and their dependencies).
flags=(-I "$BIN/Modules" -module-cache-path "$BIN/ModuleCache")
for map in Sources/*/module.modulemap Sources/*/include/module.modulemap "$BIN"/*.build/module.modulemap \
           "$SCRATCH"/checkouts/*/Sources/*/include/module.modulemap; do
    [[ -f $map ]] && flags+=(-Xcc "-fmodule-map-file=$ROOT/${map#"$ROOT"/}")
done
for dir in "$ROOT"/Sources/*/include "$SCRATCH"/checkouts/*/Sources/*/include; do
    [[ -d $dir ]] && flags+=(-Xcc -I -Xcc "$dir")
done
objects=$SCRATCH/fuzzers/$config/objects.rsp
mkdir -p "$(dirname "$objects")"
python3 - "$SCRATCH/$config.yaml" "$objects" <<'PY'
import json, os, re, sys
manifest, out = sys.argv[1], sys.argv[2]
found = None
with open(manifest) as f:
    lines = f.read().splitlines()
for i, line in enumerate(lines):
    if re.match(r'^  ".*PackageTests\.product/Objects\.LinkFileList":$', line):
        for follow in lines[i + 1:i + 6]:
            m = re.match(r'^\s+inputs: (\[.*\])$', follow)
            if m:
                found = json.loads(m.group(1))
                break
        break
if found is None:
    sys.exit(f"fuzz: no test product link list in {manifest}")
objs = [p for p in found if p.endswith(".o") and not re.search(r"/[^/]*Tests\.build/", p) and os.path.exists(p)]
with open(out, "w") as f:
    for p in objs:
        f.write('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"\n')
PY
libs=$(pkg-config --libs libprotobuf-c libsodium openssl)
optimise=(-Onone)
[[ $config == release ]] && optimise=(-O)

# 3. Each target: its file, the shared support, the policy fixture.
mkdir -p "$SCRATCH/fuzzers/$config"
for t in "${targets[@]}"; do
    module="Fuzz_$t"
    out=$SCRATCH/fuzzers/$config/$t
    # shellcheck disable=SC2086
    if ! "${NICE[@]}" "$SWIFTC" -module-name "$module" -parse-as-library -swift-version 6 -sanitize=fuzzer,address -g \
            "${optimise[@]}" -j "$JOBS" "${flags[@]}" \
            Fuzz/Targets/Support.swift Fuzz/Targets/PolicyFixture.swift "Fuzz/Targets/$t.swift" \
            "@$objects" $libs -o "$out" >"$out.log" 2>&1; then
        grep -v 'ld.gold: warning: Cannot export local symbol' "$out.log" | tail -n 40 >&2
        echo "fuzz: compiling target $t failed (log: $out.log)" >&2
        exit 1
    fi
    # A target whose modules lack coverage still runs, blind; refuse it.
    # (Each target's own file has a few thousand counters; with the
    # modules it reaches, tens of thousands.)
    counters=$(cd "$SCRATCH" && SWIFT_BACKTRACE=enable=no "$out" -runs=0 2>&1 | sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline.*/\1/p' | head -n 1)
    if (( ${counters:-0} < 20000 )); then
        echo "fuzz: target $t has ${counters:-0} coverage counters: its modules were built without -sanitize=fuzzer" >&2
        exit 1
    fi
done
echo "fuzz: ${#targets[@]} targets built ($config) in $(( $(date +%s) - start )) s: $SCRATCH/fuzzers/$config/"
(( build_only )) && exit 0

# 4. Run them, one after another. Swift's own crash backtracer is off: it
# reads memory ASan has poisoned and buries libFuzzer's report.
export SWIFT_BACKTRACE=enable=no
limit=()
[[ -n $seconds ]] && limit+=(-max_total_time="$seconds")
[[ -n $runs ]] && limit+=(-runs="$runs")
total_execs=0
total_crashes=0
failed=()
for t in "${targets[@]}"; do
    work=$SCRATCH/run/$t
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    seeds=0
    if [[ -d Fuzz/corpus/$t ]]; then
        cp Fuzz/corpus/"$t"/* "$work/corpus/" 2>/dev/null || true
    fi
    if [[ $t == cbor ]]; then
        # The two real Nitro documents the attestation tests use, as extra seeds.
        cp Tests/WaiaasAttestationTests/Fixtures/nitro/*.cbor "$work/corpus/"
    fi
    seeds=$(find "$work/corpus" -type f | wc -l)
    began=$(date +%s)
    set +e
    # shellcheck disable=SC2086
    (cd "$work" && "${NICE[@]}" "$SCRATCH/fuzzers/$config/$t" "${limit[@]}" -print_final_stats=1 -timeout=25 \
        -artifact_prefix="$work/artifacts/" ${FUZZ_ARGS:-} corpus) >"$work/log" 2>&1
    rc=$?
    set -e
    elapsed=$(( $(date +%s) - began ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
    execs=${execs:-0}
    # libFuzzer also keeps inputs that were merely slow (slow-unit-*, over
    # 10 s of wall time): on a shared machine under nice that is the
    # scheduler, not a hang (-timeout=25 reports those, as timeout-*). They
    # are named, and kept, but do not fail the run.
    crashes=$(find "$work/artifacts" -type f ! -name 'slow-unit-*' | wc -l)
    slow=$(find "$work/artifacts" -type f -name 'slow-unit-*' | wc -l)
    (( slow == 0 )) || echo "fuzz: $t: $slow slow input(s) kept (not crashes; rerun each alone to time it): $work/artifacts/slow-unit-*" >&2
    corpus=$(find "$work/corpus" -type f | wc -l)
    rate=$(( elapsed > 0 ? execs / elapsed : execs ))
    echo "fuzz: $t: $execs executions in $elapsed s ($rate/s), $crashes crashes, corpus $corpus inputs ($seeds seeds)"
    total_execs=$(( total_execs + execs ))
    total_crashes=$(( total_crashes + crashes ))
    if (( rc != 0 || crashes > 0 )); then
        failed+=("$t")
        grep -v '^#[0-9]' "$work/log" | tail -n 60 >&2
        for a in "$work"/artifacts/*; do
            [[ -f $a && $(basename "$a") != slow-unit-* ]] && echo "fuzz: $t: input kept in $a; reproduce: $SCRATCH/fuzzers/$config/$t $a" >&2
        done
        (( crashes > 0 )) || echo "fuzz: $t: libFuzzer exited with $rc (log: $work/log)" >&2
    fi
done
echo "fuzz: ${#targets[@]} targets, $total_execs executions, $total_crashes crashes${failed[*]:+, failed: ${failed[*]}}"
# The plain closing line CI reads: a target passes when it ran without a crash.
echo "fuzz: $(( ${#targets[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
(( ${#failed[@]} == 0 ))
