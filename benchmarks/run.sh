#!/usr/bin/env bash
# Runs the benchmark protocol (benchmarks/README.md):
# JMH benchmarks of scenarios S1-S7 (and S4W), S8 (real TinyGo Kubewarden policies) and S9
# (Rego), the V8 reference (Node.js,
# benchmarks/v8/bench.mjs on the lean hosts of hosts.mjs; v8/rego.mjs for S9) and the native
# reference (gcc -O2) in one run, then writes benchmarks/results/latest.md and
# latest.json.
#
#   benchmarks/run.sh [--quick] [--no-build] [--jvm-args "..."]
#
#   --quick     few iterations, compiler engine for all scenarios and the
#               interpreter for S1 only, 2-thread scaling for S1 only; ~4 min
#   (default)   every scenario x strategy x engine, more iterations; ~30+ min
#   --no-build  use the existing benchmarks/target/benchmarks.jar
#   --jvm PATH  the java binary of the benchmark JVMs (default: the one on PATH)
#   --jvm-args  their flags (default: -Xmx1g -XX:+UseParallelGC)
#
# Needs: JDK 17, Maven, Node.js >= 20 (else the V8 column is empty), gcc (else
# the native column is empty). Everything it writes besides results/ stays in
# benchmarks/target/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

quick=false
build=true
jvm_args="-Xmx1g -XX:+UseParallelGC"
jvm=()
while (($#)); do
  case "$1" in
    --quick) quick=true ;;
    --no-build) build=false ;;
    --jvm-args) jvm_args="$2"; shift ;;
    --jvm) jvm=(-jvm "$2"); shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

target="$here/target"
jar="$target/benchmarks.jar"
work="$target/run"
rm -rf "$work"
mkdir -p "$work"
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
start=$(date +%s)

if $build || [[ ! -f "$jar" ]]; then
  echo "== building (mvn -q -DskipTests package)"
  mvn -B -q -o -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package 2>/dev/null \
    || mvn -B -q -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package
fi

java -cp "$jar" dev.k8swasm.benchmarks.Inputs "$work/inputs" >/dev/null
load="$(loadavg)" # after the build: the load the measurements start with

# The compile cache of the benchmark JVMs: in target/, filled by the first load.
props="-Dk8swasm.cache.dir=$work/compile-cache -Dk8swasm.root=$root"
failed=()
jmh() { # name, JMH arguments...
  local name="$1"; shift
  echo "== JMH $name"
  java $props -jar "$jar" "$@" "${jvm[@]}" -jvmArgs "$jvm_args $props" -rf json -rff "$work/jmh-$name.json" \
    > "$work/jmh-$name.log" 2>&1 || { echo "JMH $name failed, see $work/jmh-$name.log" >&2; tail -20 "$work/jmh-$name.log" >&2; failed+=("$name"); }
  grep -E '^(Evaluation|ColdStart|Breakdown)Benchmark' "$work/jmh-$name.log" | grep -vE ':(gc\.|p0|p1|stack)' || true
}

if $quick; then
  iter=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
  # compiled guest code runs in the JVM's interpreter and C1 for its first second
  # or two, until C2 has compiled it (later on a busy machine): five warm-up seconds
  warm=(-f 1 -wi 5 -w 1s -i 1 -r 1s)
  jmh latency 'EvaluationBenchmark.latency' "${warm[@]}" -prof gc \
    -p scenario=S1,S2,S3,S4,S4W,S5,S7,S9 -p strategy=SNAPSHOT,FRESH -p engine=COMPILER
  # the real TinyGo policies: their guests are big, so the JIT needs longer to settle
  jmh latency-s8 'EvaluationBenchmark.latency' -f 1 -wi 8 -w 1s -i 1 -r 2s -prof gc \
    -p scenario=S8D,S8R -p strategy=SNAPSHOT,FRESH -p engine=COMPILER
  jmh latency-interpreter 'EvaluationBenchmark.latency' "${iter[@]}" -prof gc \
    -p scenario=S1 -p strategy=SNAPSHOT,FRESH -p engine=INTERPRETER
  # two threads need a longer warm-up: the JIT compiles the guest code on the same 2 cores
  jmh throughput 'EvaluationBenchmark.throughput[12]' -f 1 -wi 4 -w 1s -i 2 -r 1s \
    -p scenario=S1 -p strategy=SNAPSHOT -p engine=COMPILER
  jmh breakdown 'BreakdownBenchmark' "${warm[@]}" -p strategy=SNAPSHOT
  jmh coldstart 'ColdStartBenchmark' -f 1 -wi 2 -i 5 -p module=big_validator,magic_validator -p cache=cached
  jmh coldstart-uncached 'ColdStartBenchmark' -f 1 -wi 0 -i 2 -p module=magic_validator -p cache=uncached
  ref_seconds=2
else
  iter=(-f 2 -wi 3 -w 2s -i 5 -r 3s)
  jmh latency 'EvaluationBenchmark.latency' "${iter[@]}" -prof gc
  jmh throughput 'EvaluationBenchmark.throughput[12]' "${iter[@]}" -p engine=COMPILER
  jmh breakdown 'BreakdownBenchmark' "${iter[@]}"
  jmh coldstart 'ColdStartBenchmark' -f 2 -wi 3 -i 10 -p cache=cached
  jmh coldstart-uncached 'ColdStartBenchmark' -f 1 -wi 0 -i 3 -p cache=uncached
  ref_seconds=5
fi

echo "== V8 reference"
if command -v node >/dev/null 2>&1; then
  node "$here/v8/bench.mjs" "$work/inputs" --seconds "$ref_seconds" > "$work/v8.json" 2> "$work/v8.log" \
    || { echo "V8 reference failed, see $work/v8.log" >&2; : > "$work/v8.json"; }
  # S9 (Rego): the OPA JS SDK, from examples/modules/rego/node (npm ci); merged into v8.json
  if [[ -d "$root/examples/modules/rego/node/node_modules/@open-policy-agent/opa-wasm" && -s "$work/v8.json" ]]; then
    node "$here/v8/rego.mjs" --seconds "$ref_seconds" > "$work/v8-rego.json" 2> "$work/v8-rego.log" \
      && node -e 'const fs=require("fs");const [a,b]=process.argv.slice(1);const v=JSON.parse(fs.readFileSync(a));Object.assign(v.scenarios,JSON.parse(fs.readFileSync(b)).scenarios);fs.writeFileSync(a,JSON.stringify(v,null,2))' "$work/v8.json" "$work/v8-rego.json" \
      || echo "V8 reference of S9 failed, see $work/v8-rego.log" >&2
  else
    echo "OPA JS SDK not installed (npm ci in examples/modules/rego/node): no V8 reference for S9" >&2
  fi
else
  echo "node not found: no V8 reference" >&2
  : > "$work/v8.json"
fi

echo "== native reference"
native_compiler="none"
if command -v gcc >/dev/null 2>&1; then
  native_compiler="$(gcc --version | head -1) -O2"
  mkdir -p "$work/native"
  build_native() { # name source entry
    gcc -O2 -Wno-attributes -Dread=kwb_read -Dwrite=kwb_write -I "$root/examples/modules/src" \
      -DKW_MODULE="\"$2\"" -DKW_ENTRY="$3" -o "$work/native/$1" "$here/native/harness.c"
  }
  build_native validator magic_validator.c validate
  build_native authenticator magic_authenticator.c authn
  build_native mutator magic_mutator.c validate
  {
    echo "{"
    echo "\"S1\": $("$work/native/validator" "$work/inputs/S1.json" "$ref_seconds"),"
    echo "\"S2\": $("$work/native/authenticator" "$work/inputs/S2.json" "$ref_seconds"),"
    echo "\"S3\": $("$work/native/mutator" "$work/inputs/S3.json" "$ref_seconds"),"
    echo "\"S5\": $("$work/native/validator" "$work/inputs/S1.json" "$ref_seconds"),"
    echo "\"S7\": $("$work/native/validator" "$work/inputs/S7.json" "$ref_seconds")"
    echo "}"
  } > "$work/native.json"
else
  echo "gcc not found: no native reference" >&2
  : > "$work/native.json"
fi

echo "== report"
out="$here/results"
if ((${#failed[@]})); then
  # an incomplete run does not replace the last complete report
  out="$work/results"
  echo "JMH failed for: ${failed[*]}; the report goes to $out, results/ is left as it was" >&2
fi
java -cp "$jar" dev.k8swasm.benchmarks.Report --out "$out" \
  --mode "$($quick && echo quick || echo full)" --inputs "$work/inputs" \
  --v8 "$work/v8.json" --native "$work/native.json" --native-compiler "$native_compiler" \
  --load "$load; at the end $(loadavg)" "$work"/jmh-*.json
echo "done in $(($(date +%s) - start)) s"
((${#failed[@]} == 0))
