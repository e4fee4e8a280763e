#!/usr/bin/env bash
# The packages as a user gets them: builds the .deb and .tar.gz with CPack, checks them with the
# distribution's own tools (desktop-file-validate, appstreamcli, lintian), installs the .deb into
# a scratch root and runs both programs from there.
#   check-package.sh BUILD_DIR
# Exit 0 passed, 1 failed, 77 skipped (a checking tool is not installed).
set -euo pipefail
build=$(cd "$1" && pwd)
for tool in cpack lintian desktop-file-validate appstreamcli dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$build"
cpack -G "DEB;TGZ" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; fail "cpack failed"; }
deb=$(ls "$scratch"/out/*.deb)
tgz=$(ls "$scratch"/out/*.tar.gz)
echo "built $(basename "$deb") and $(basename "$tgz")"

# lintian: no errors (warnings are printed for a human to read).
lintian --fail-on error --allow-root "$deb" | tee "$scratch/lintian.txt" || fail "lintian found errors"

dpkg-deb -x "$deb" "$scratch/root"
desktop-file-validate "$scratch/root/usr/share/applications/eventflow-studio.desktop" \
    || fail "desktop entry"
appstreamcli validate --no-net "$scratch"/root/usr/share/metainfo/*.metainfo.xml \
    || fail "AppStream metainfo"
for path in usr/bin/eventflow usr/bin/eventflow-studio usr/share/man/man1/eventflow.1.gz \
            usr/share/mime/packages/eventflow-studio.xml \
            usr/share/icons/hicolor/scalable/apps/eventflow-studio.svg \
            usr/share/icons/hicolor/48x48/apps/eventflow-studio.png \
            usr/share/icons/hicolor/48x48/mimetypes/application-x-eventflow-design.png \
            usr/share/doc/eventflow-studio/copyright \
            usr/share/eventflow-studio/examples/order-flow-sync.eventflow.json \
            usr/share/eventflow-studio/examples/README.md; do
    [ -e "$scratch/root/$path" ] || fail "the package lacks /$path"
done
tar tzf "$tgz" | grep -q '/bin/eventflow-studio$' || fail "the .tar.gz lacks bin/eventflow-studio"

# Installed, both programs run.
version=$("$scratch/root/usr/bin/eventflow" --version)
[ "$version" = "eventflow $(dpkg-deb -f "$deb" Version)" ] || fail "eventflow --version said '$version'"
HOME="$scratch" QT_QPA_PLATFORM=offscreen "$scratch/root/usr/bin/eventflow-studio" \
    "$scratch/root/usr/share/eventflow-studio/examples/order-flow-sync.eventflow.json" \
    --screenshot "$scratch/shot.png" --size 900x600 2>/dev/null || fail "eventflow-studio --screenshot"
[ -s "$scratch/shot.png" ] || fail "the screenshot is empty"

# Installed, the gallery finds the package's scenarios (no source tree, no EVENTFLOW_EXAMPLES)
# and one of them opens and runs.
installed=$(ls "$scratch"/root/usr/share/eventflow-studio/examples/*.eventflow.json | wc -l)
shipped=$(ls "$(dirname "$0")"/../../examples/*.eventflow.json | wc -l)
[ "$installed" -eq "$shipped" ] || fail "the package has $installed scenarios, the sources $shipped"
studio() { env -u EVENTFLOW_EXAMPLES HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" \
    XDG_DATA_HOME="$scratch/data" QT_QPA_PLATFORM=offscreen "$scratch/root/usr/bin/eventflow-studio" "$@"; }
studio --gallery --screenshot "$scratch/gallery.png" --size 1000x700 2>/dev/null \
    || fail "the installed gallery shows no scenarios"
studio --scenario retry-storm-naive --run-to 30 --screenshot "$scratch/scenario.png" \
    --size 900x600 2>"$scratch/scenario.log" || { cat "$scratch/scenario.log"; fail "the installed app cannot open and run a scenario"; }
[ -s "$scratch/scenario.png" ] || fail "the scenario screenshot is empty"
echo "installed: $installed scenarios; the gallery shows them and retry-storm-naive runs"
echo "PASS: package checks (lintian: $(grep -c '^W:' "$scratch/lintian.txt" || true) warnings)"
