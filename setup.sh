#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine: installs what is missing, builds, then
#   ./setup.sh run   simulates the default example and prints its report, then opens the
#                    designer's scenario gallery where there is a display
#   ./setup.sh test  runs every test suite (CTest)
#   ./setup.sh package  makes the .deb and .tar.gz in the build folder
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-run}"
case "$mode" in run|test|package) ;; *) echo "usage: $0 [run|test|package]" >&2; exit 2 ;; esac

packages=(cmake ninja-build g++ qt6-base-dev qt6-svg-dev qt6-charts-dev libqt6opengl6-dev fonts-dejavu-core nlohmann-json3-dev libcli11-dev libyaml-cpp-dev python3-simpy3 time)
# The package checks (tests/installer) use the distribution's own tools.
[ "$mode" = "test" ] && packages+=(desktop-file-utils appstream lintian dpkg-dev)
# dpkg-shlibdeps (dpkg-dev) works out the .deb's dependencies.
[ "$mode" = "package" ] && packages+=(dpkg-dev)
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
    # AWS's template linter judges every exported template (it comes from pip, not apt).
    echo "cfn-lint is not installed: the template lint checks will be skipped" >&2
fi

if [ "$mode" = "run" ]; then
    "$build_dir/app/eventflow" simulate examples/order-flow-sync.eventflow.json
    # Where there is a screen, open the designer's scenario gallery on the same example.
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CI:-}" != "true" ]; then
        echo "Opening the designer's scenario gallery"
        "$build_dir/app/studio/eventflow-studio" --gallery --scenario order-flow-sync
    fi
elif [ "$mode" = "package" ]; then
    (cd "$build_dir" && cpack -G "DEB;TGZ" >/dev/null)
    ls "$build_dir"/*.deb "$build_dir"/*.tar.gz
    echo "Install with: sudo apt install ./$(ls "$build_dir"/*.deb | head -n1)"
else
    cd "$build_dir"
    ctest --output-on-failure -j"$(nproc)"
fi
