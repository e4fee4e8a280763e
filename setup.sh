#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine: installs what is missing, builds, then
#   ./setup.sh run   simulates the default example and prints its report, then opens it in the
#                    designer where there is a display
#   ./setup.sh test  runs every test suite (CTest)
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-run}"
case "$mode" in run|test) ;; *) echo "usage: $0 [run|test]" >&2; exit 2 ;; esac

packages=(cmake ninja-build g++ qt6-base-dev qt6-svg-dev qt6-charts-dev libqt6opengl6-dev fonts-dejavu-core nlohmann-json3-dev libcli11-dev libyaml-cpp-dev python3-simpy3 time)
# The package checks (tests/installer) use the distribution's own tools.
[ "$mode" = "test" ] && packages+=(desktop-file-utils appstream lintian dpkg-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build_dir="${BUILD_DIR:-build}"
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEVENTFLOW_WARNINGS_AS_ERRORS="$werror" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"

if [ "$mode" = "test" ] && ! command -v cfn-lint >/dev/null 2>&1; then
    # AWS's template linter judges every exported template; without it those checks are skipped.
    echo "cfn-lint is missing: installing it with pip"
    if ! python3 -m pip install --quiet cfn-lint >/dev/null 2>&1; then
        echo "cfn-lint could not be installed (no pip or no package index): template lint checks will be skipped" >&2
    fi
fi

if [ "$mode" = "run" ]; then
    "$build_dir/app/eventflow" simulate examples/order-flow-sync.eventflow.json
    # Where there is a screen, open the designer on the same example.
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CI:-}" != "true" ]; then
        echo "Opening the designer on examples/order-flow-sync.eventflow.json"
        "$build_dir/app/studio/eventflow-studio" examples/order-flow-sync.eventflow.json
    fi
else
    cd "$build_dir"
    ctest --output-on-failure -j"$(nproc)"
fi
