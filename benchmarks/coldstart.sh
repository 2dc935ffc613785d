#!/usr/bin/env bash
# S10, process cold start: the wall time, CPU time and peak RSS of one whole `k8s-wasm run`
# process, on a small and two megabyte-sized modules, with nothing cached (a fresh cache
# directory: no compiled module, no class-data sharing archive) and with the caches warm, started
# the plain way (`java -jar cli/target/k8s-wasm.jar`) and through the launcher (`bin/k8s-wasm`:
# C1 only, serial GC, AppCDS), next to `node` running the same module once in a whole process
# (benchmarks/v8/coldstart.mjs). Each figure is the median of --runs runs (peak RSS: the largest).
#
#   benchmarks/coldstart.sh [--runs N] [--java-only | --launcher-only] > coldstart.md
#
# Needs the shaded jar (built when missing), node and GNU time (/usr/bin/time). Prints a Markdown
# table and the machine's load before and after: on a shared machine compare the ratios of one
# run, not absolute times of different runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=3
ways="java launcher"
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --java-only) ways="java"; shift ;;
    --launcher-only) ways="launcher"; shift ;;
    *) echo "usage: benchmarks/coldstart.sh [--runs N] [--java-only | --launcher-only]" >&2; exit 2 ;;
  esac
done

jar="$root/cli/target/k8s-wasm.jar"
if [ ! -f "$jar" ]; then
  echo "building $jar" >&2
  (cd "$root" && mvn -B -q -pl cli -am package -DskipTests) >&2
fi
[ -x /usr/bin/time ] || { echo "error: needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 1; }
command -v node >/dev/null || { echo "error: needs node (Node.js 20) for the V8 reference" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo '{"denied_names":["foo"]}' > "$work/settings.json"

# name | module | request | settings file (or -)
modules=(
  "magic_validator|examples/modules/magic_validator.wasm|examples/requests/admission-configmap-create.json|-"
  "big_validator|benchmarks/modules/big_validator.wasm|examples/requests/admission-configmap-create.json|-"
  "tinygo_pod_name_policy|benchmarks/modules/kubewarden/pod-name-deny-list.wasm|examples/requests/kubewarden/pod-create.json|$work/settings.json"
)

# Runs "$@" once under GNU time; appends "wall user+sys rss_kb" to $work/samples and checks
# that the answer says allowed like the first answer of the module did.
sample() {
  local expect=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
    echo "error: failed: $*" >&2
    cat "$work/err" >&2
    exit 1
  }
  local allowed
  allowed=$(grep -o '"allowed": *[a-z]*' "$work/out" | head -1 | tr -d ' ')
  if [ -n "$expect" ] && [ "$allowed" != "$expect" ]; then
    echo "error: $* answered $allowed, expected $expect" >&2
    exit 1
  fi
  echo "$allowed" > "$work/allowed"
  read -r wall user sys rss < "$work/time"
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $rss" >> "$work/samples"
}

# Median wall, median CPU, largest RSS (MB) of $work/samples, then clears them.
summary() {
  local wall cpu rss
  wall=$(cut -d' ' -f1 "$work/samples" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  cpu=$(cut -d' ' -f2 "$work/samples" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  rss=$(cut -d' ' -f3 "$work/samples" | sort -n | tail -1)
  rm -f "$work/samples"
  printf '%s s (cpu %s s), %d MB' "$wall" "$cpu" $((rss / 1024))
}

# Sets cmd to the k8s-wasm command line of one way of starting it.
k8s_command() {
  local way=$1 module=$2 request=$3 settings=$4
  case $way in
    java) cmd=(java -jar "$jar") ;;
    launcher) cmd=("$root/bin/k8s-wasm") ;;
  esac
  cmd+=(run "$root/$module" -r "$root/$request" --output compact)
  if [ "$settings" != - ]; then cmd+=(--settings-path "$settings"); fi
}

echo "S10 process cold start of \`k8s-wasm run\`, median of $runs runs (peak RSS: largest)."
echo
echo "- $(java -version 2>&1 | head -1); $(node --version) ($(nproc) CPUs)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- java: \`java -jar cli/target/k8s-wasm.jar\` (JVM defaults); launcher: \`bin/k8s-wasm\`"
echo "  (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m, AppCDS archive)"
echo "- uncached: a fresh, empty cache directory for every run (XDG_CACHE_HOME): the module is"
echo "  compiled and, with the launcher, the class-data sharing archive is written at exit;"
echo "  cached: the same directory after one warm-up run"
echo
echo "| module | size | started with | uncached | cached | node (whole process) | cached / node |"
echo "|---|---:|---|---:|---:|---:|---:|"
for entry in "${modules[@]}"; do
  IFS='|' read -r name module request settings <<< "$entry"
  size=$(stat -c %s "$root/$module")
  node_args=("$here/v8/coldstart.mjs" "$root/$module" "$root/$request")
  if [ "$settings" != - ]; then node_args+=("$settings"); fi
  sample "" node "${node_args[@]}"
  expect=$(cat "$work/allowed")
  rm -f "$work/samples"
  for ((i = 0; i < runs; i++)); do sample "$expect" node "${node_args[@]}"; done
  node_wall=$(cut -d' ' -f1 "$work/samples" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  node_summary=$(summary)
  for way in $ways; do
    k8s_command "$way" "$module" "$request" "$settings"
    for ((i = 0; i < runs; i++)); do
      export XDG_CACHE_HOME="$work/cache-uncached-$i"
      sample "$expect" "${cmd[@]}"
    done
    uncached=$(summary)
    export XDG_CACHE_HOME="$work/cache-$way-$name"
    sample "$expect" "${cmd[@]}"
    rm -f "$work/samples"
    for ((i = 0; i < runs; i++)); do sample "$expect" "${cmd[@]}"; done
    cached_wall=$(cut -d' ' -f1 "$work/samples" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    cached=$(summary)
    ratio=$(awk -v a="$cached_wall" -v b="$node_wall" 'BEGIN { printf "%.1fx", a / b }')
    rm -rf "$work"/cache-uncached-*
    printf '| %s | %d KB | %s | %s | %s | %s | %s |\n' "$name" $((size / 1024)) "$way" \
      "$uncached" "$cached" "$node_summary" "$ratio"
  done
done
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
