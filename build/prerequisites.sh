#!/usr/bin/env bash
# Installs what the test suite needs beyond Java and Maven, so that `mvn -B verify` passes on a
# fresh machine. Run by the parent pom at `validate` (once per build) and safe to run by hand.
#   - docker-registry (Debian): the real OCI registry that the oci and cli tests start on loopback
#   - the OPA JS SDK (npm, pinned by package-lock.json): the Rego parity test's reference host
# Set K8SWASM_SKIP_PREREQUISITES=1 to skip; tests that need a missing tool then fail (registry) or
# skip with a message (node).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${K8SWASM_SKIP_PREREQUISITES:-}" = 1 ]; then
  echo "prerequisites: skipped (K8SWASM_SKIP_PREREQUISITES=1)"
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

if [ ! -x /usr/bin/docker-registry ]; then
  echo "prerequisites: installing docker-registry (Debian package) for the registry tests"
  if ! { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq docker-registry; }; then
    echo "prerequisites: could not install docker-registry: run 'sudo apt-get install docker-registry'" >&2
    exit 1
  fi
fi

rego_node="$root/examples/modules/rego/node"
if command -v npm >/dev/null 2>&1 && [ -f "$rego_node/package-lock.json" ]; then
  if [ ! -d "$rego_node/node_modules/@open-policy-agent" ]; then
    echo "prerequisites: npm ci in examples/modules/rego/node (OPA JS SDK, Rego parity reference)"
    (cd "$rego_node" && npm ci --no-audit --no-fund --loglevel=error)
  fi
else
  echo "prerequisites: npm not found: the Rego parity test will be skipped"
fi
