#!/usr/bin/env bash
# Regenerates every picture in the documentation with the app itself (offscreen, no display):
#     docs/screenshots.sh [BUILD_DIR]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
studio="$build/app/studio/eventflow-studio"
[ -x "$studio" ] || { echo "docs/screenshots.sh: build first: $studio is missing" >&2; exit 2; }
export QT_QPA_PLATFORM=offscreen
# Settings and recovery files of these runs stay out of the user's own.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch"

shot() { # OUT ARGS...
    local out=$1
    shift
    "$studio" "$@" --screenshot "docs/images/$out" 2>/dev/null
    echo "docs/images/$out"
}
shot designer.png examples/fanout-throttled.eventflow.json --size 1400x860
shot run-order-flow-sync.png examples/order-flow-sync.eventflow.json --run-to 90 --size 1500x950
shot compare-order-flows.png examples/order-flow-sync.eventflow.json \
    --compare examples/order-flow-async.eventflow.json --size 1500x950
