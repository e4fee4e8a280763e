#!/usr/bin/env bash
# Regenerates what the documentation takes from the program: the component reference
# (docs/guide/components.md, from the catalogue) and every picture (docs/images/*.png, drawn by
# the app itself, offscreen, no display needed).
#     docs/build.sh [BUILD_DIR]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
studio="$build/app/studio/eventflow-studio"
cli="$build/app/eventflow"
for program in "$studio" "$cli"; do
    [ -x "$program" ] || { echo "docs/build.sh: build first: $program is missing" >&2; exit 2; }
done

# Written beside and renamed over, so a failure never leaves half a page.
"$cli" reference > docs/guide/components.md.new
mv docs/guide/components.md.new docs/guide/components.md
echo docs/guide/components.md

export QT_QPA_PLATFORM=offscreen
# Settings and recovery files of these runs stay out of the user's own.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch"
export EVENTFLOW_EXAMPLES="$PWD/examples"

shot() { # OUT ARGS...
    local out=$1
    shift
    "$studio" "$@" --screenshot "docs/images/$out" 2>/dev/null
    echo "docs/images/$out"
}
shot gallery.png --gallery --scenario order-flow-sync --size 1300x820
shot designer.png examples/fanout-throttled.eventflow.json --size 1400x860
shot run-order-flow-sync.png examples/order-flow-sync.eventflow.json --run-to 90 --size 1500x950
shot run-retry-storm.png --scenario retry-storm-naive --run-to 150 --size 1500x950
shot run-poison-messages.png --scenario poison-messages --run-to 120 --size 1500x950
shot compare-order-flows.png examples/order-flow-sync.eventflow.json \
    --compare examples/order-flow-async.eventflow.json --size 1500x950
