#!/usr/bin/env bash
# Engine benchmark: the same M/M/c network in a bare event loop, in SimPy and
# in eventflow, compared per simulated message; then the designer's canvas
# frame times (studio_frames). A benchmark, not a test: it is not registered
# with CTest.
#
# usage: tests/bench/run.sh [BUILD_DIR]     (default: build, in the repo root)
#   BENCH_QUICK=1   shrink every message count by 10x, frames per scenario by 5x
#   BENCH_STUDIO=0  skip the canvas frame times (no studio_frames needed)
#
# The last line has the form
#   messages/s eventflow=E simpy=S bare=B ratio_simpy=R overhead_bare=O peak_mb_10M=M
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(realpath -m "${1:-$root/build}")

# ---- parameters -------------------------------------------------------------
servers=8        # c
mean_ms=10       # mean service time, ms
rate=720         # arrivals per second: utilisation rho = rate*mean/(1000*c) = 0.9
seed=1
n_bare=10000000
n_simpy=500000
n_eventflow=10000000
n_memory=10000000   # the separate run whose peak RSS is reported as peak_mb_10M
n_frames=200        # canvas frames per studio_frames scenario
quick=${BENCH_QUICK:-0}
studio=${BENCH_STUDIO:-1}
if [[ $quick != 0 ]]; then
    n_bare=$((n_bare / 10)); n_simpy=$((n_simpy / 10))
    n_eventflow=$((n_eventflow / 10)); n_memory=$((n_memory / 10))
    n_frames=$((n_frames / 5))
fi

# Targets.
min_ratio_simpy=50
max_overhead_bare=3
max_peak_mb=200
max_frame_ms=16.7   # p95 of a full canvas repaint: 60 frames/s

die() { echo "run.sh: error: $*" >&2; exit 1; }
progress() { echo "run.sh: $*" >&2; }

# ---- prerequisites (checked before anything runs) ---------------------------
pyexe=/usr/bin/python3   # SimPy (Debian python3-simpy3) is installed for it only
eventflow=$build/app/eventflow
[[ -x $eventflow ]] || die "eventflow binary not found at $eventflow
  build it first:  cmake -S $root -B $build && cmake --build $build --target eventflow
  or pass the build directory:  tests/bench/run.sh BUILD_DIR"
command -v g++ >/dev/null || die "g++ not found (needed to compile bare_loop.cpp)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: apt-get install time"
[[ -x $pyexe ]] || die "$pyexe not found"
"$pyexe" -c 'import simpy' 2>/dev/null ||
    die "$pyexe cannot import simpy: apt-get install python3-simpy3"
studio_frames=$build/bench/studio_frames
[[ $studio == 0 || -x $studio_frames ]] || die "studio_frames not found at $studio_frames
  build it first:  cmake --build $build --target studio_frames
  or skip the canvas frame times:  BENCH_STUDIO=0 tests/bench/run.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eventflow-bench.XXXXXX")
# Scratch files go on success; on failure they stay for a look.
trap 'if [[ $? == 0 ]]; then rm -rf "$tmp"; else echo "run.sh: scratch files kept in $tmp" >&2; fi' EXIT

# ---- helpers ----------------------------------------------------------------
# field KEY LINE: the value of KEY=value in a line of space-separated pairs.
field() {
    awk -v k="$1" '{ for (i = 1; i <= NF; i++) { p = index($i, "=");
        if (p > 0 && substr($i, 1, p - 1) == k) { print substr($i, p + 1); exit } } }' <<<"$2"
}
# calc EXPR: floating-point arithmetic through awk.
calc() { awk "BEGIN { print $1 }"; }
now() { echo "$EPOCHREALTIME"; }

# Sanity of a mean wait against Erlang C. The sample mean of M/M/c waits at
# rho=0.9 has a relative standard error of about 14/sqrt(N); allow 3 of them,
# and at least 5%.
wait_check() {  # MEAN ERLANG N
    awk -v m="$1" -v e="$2" -v n="$3" 'BEGIN {
        dev = (m / e - 1) * 100; tol = 3 * 14 / sqrt(n) * 100; if (tol < 5) tol = 5;
        printf "%+.1f%% vs Erlang C %.3f ms, tolerance %.0f%%: %s", dev, e, tol,
               (dev < tol && dev > -tol) ? "ok" : "OFF" }'
}

# Runs a bare_loop / mmc_simpy style command and checks its output line.
run_reference() {  # NAME N COMMAND...
    local name=$1 n=$2; shift 2
    local line
    line=$("$@" "$rate" "$servers" "$mean_ms" "$n" "$seed") || die "$name failed"
    [[ $(field messages "$line") == "$n" && -n $(field seconds "$line") &&
       -n $(field mean_wait_ms "$line") ]] || die "$name printed an unexpected line: $line"
    echo "$line"
}

# Writes the eventflow design for N messages: duration_s = N / rate.
write_design() {  # FILE N
    local duration
    duration=$(awk -v n="$2" -v r="$rate" 'BEGIN { printf "%.3f", n / r }')
    cat >"$1" <<EOF
{
  "format": "eventflow/1",
  "name": "bench-mmc",
  "description": "M/M/c benchmark network",
  "components": [
    {"id": "clients", "type": "producer", "label": "Clients", "position": {"x": 0, "y": 0}, "props": {}, "sim": {}},
    {"id": "server", "type": "service", "label": "Server", "position": {"x": 240, "y": 0}, "props": {},
     "sim": {"workers": $servers, "queue_capacity": 0, "duration": {"dist": "exponential", "mean": $mean_ms}, "error_rate": 0}}
  ],
  "connections": [ {"from": "clients", "to": "server", "kind": "invoke", "props": {}} ],
  "traffic": [ {"producer": "clients", "profile": {"kind": "poisson", "rate": $rate},
                "events": [{"weight": 1, "source": "bench", "detail-type": "Job", "detail": {}}]} ],
  "faults": [],
  "simulation": {"duration_s": $duration, "warmup_s": 0, "seed": $seed, "sample_interval_s": 600}
}
EOF
}

# summary.requests of a results JSON.
requests_of() {  # FILE
    "$pyexe" - "$1" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    doc = json.load(f)
try:
    print(int(doc["summary"]["requests"]))
except (KeyError, TypeError, ValueError):
    keys = sorted(doc["summary"]) if isinstance(doc.get("summary"), dict) else sorted(doc)
    sys.exit("results JSON has no integer summary.requests (keys: %s)" % ", ".join(keys))
EOF
}

# Runs eventflow on a design of N messages; PREFIX... (e.g. /usr/bin/time) goes
# in front of the command. Sets ef_seconds and ef_requests.
run_eventflow() {  # TAG N [PREFIX...]
    local tag=$1 n=$2; shift 2
    local design=$tmp/$tag.eventflow.json out=$tmp/$tag.results.json t0 t1 rc=0
    write_design "$design" "$n"
    t0=$(now)
    "$@" "$eventflow" simulate "$design" --json "$out" >"$tmp/$tag.stdout" 2>"$tmp/$tag.stderr" || rc=$?
    t1=$(now)
    if [[ $rc != 0 ]]; then
        echo "--- eventflow stderr (last 20 lines) ---" >&2
        tail -n 20 "$tmp/$tag.stderr" >&2
        die "eventflow simulate exited with status $rc"
    fi
    [[ -s $out ]] || die "eventflow wrote no results JSON at $out"
    ef_seconds=$(calc "$t1 - $t0")
    ef_requests=$(requests_of "$out") || die "cannot read summary.requests from $out"
    # A Poisson count over N/rate seconds: N +- sqrt(N). Far off means the
    # design was not simulated as written.
    awk -v r="$ef_requests" -v n="$n" 'BEGIN { d = r - n; if (d < 0) d = -d; exit !(d > 6 * sqrt(n) + 10) }' &&
        echo "  WARNING: eventflow served $ef_requests messages, expected about $n" >&2
    return 0
}

# ---- bare loop ---------------------------------------------------------------
bare_bin=$build/bench/bare_loop
if [[ ! -x $bare_bin || $here/bare_loop.cpp -nt $bare_bin ]]; then
    progress "compiling $bare_bin"
    mkdir -p "$build/bench"
    g++ -O2 -std=c++20 -o "$bare_bin.tmp" "$here/bare_loop.cpp"
    mv "$bare_bin.tmp" "$bare_bin"
fi

label="M/M/c c=$servers mean_service=${mean_ms}ms rate=${rate}/s rho=$(calc "$rate * $mean_ms / (1000 * $servers)")"
if [[ $quick != 0 ]]; then
    label+=" (BENCH_QUICK: message counts / 10)"
    quick_note="; BENCH_QUICK: peak_mb_10M in the last line is of this ${n_memory}-message run"
fi
echo "bench: $label"

progress "bare loop, $n_bare messages"
bare_line=$(run_reference bare_loop "$n_bare" "$bare_bin")
bare_s=$(field seconds "$bare_line")
erlang=$(field erlang_c_wait_ms "$bare_line")
bare_rate=$(awk -v n="$n_bare" -v s="$bare_s" 'BEGIN { printf "%.0f", n / s }')
echo "bare:      messages=$n_bare seconds=$bare_s messages/s=$bare_rate mean_wait_ms=$(field mean_wait_ms "$bare_line") ($(wait_check "$(field mean_wait_ms "$bare_line")" "$erlang" "$n_bare"))"

# ---- SimPy -------------------------------------------------------------------
progress "SimPy, $n_simpy messages"
simpy_line=$(run_reference SimPy "$n_simpy" "$pyexe" "$here/mmc_simpy.py")
simpy_s=$(field seconds "$simpy_line")
simpy_rate=$(awk -v n="$n_simpy" -v s="$simpy_s" 'BEGIN { printf "%.0f", n / s }')
echo "simpy:     messages=$n_simpy seconds=$simpy_s messages/s=$simpy_rate mean_wait_ms=$(field mean_wait_ms "$simpy_line") ($(wait_check "$(field mean_wait_ms "$simpy_line")" "$erlang" "$n_simpy"))"

# ---- eventflow: throughput -------------------------------------------------------
progress "eventflow, $n_eventflow messages"
run_eventflow speed "$n_eventflow"
ef_rate=$(awk -v n="$ef_requests" -v s="$ef_seconds" 'BEGIN { printf "%.0f", n / s }')
echo "eventflow: messages=$ef_requests seconds=$(awk -v s="$ef_seconds" 'BEGIN { printf "%.4f", s }') messages/s=$ef_rate (wall time of the whole command)"

# ---- eventflow: peak memory --------------------------------------------------
progress "eventflow, $n_memory messages under /usr/bin/time"
run_eventflow memory "$n_memory" /usr/bin/time -f %M -o "$tmp/memory.time"
peak_kb=$(tail -n 1 "$tmp/memory.time")
[[ $peak_kb =~ ^[0-9]+$ ]] || die "/usr/bin/time printed no peak RSS: $(cat "$tmp/memory.time")"
peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo "eventflow: peak RSS ${peak_mb} MB over $ef_requests messages (separate run, /usr/bin/time -f %M)${quick_note:-}"

# ---- designer: canvas frame times ---------------------------------------------
# 500 components and 1,000 connections panned, zoomed and dragged in the main
# window, offscreen (see studio_frames.cpp for what a frame is).
if [[ $studio != 0 ]]; then
    progress "studio_frames, $n_frames frames per scenario"
    QT_QPA_PLATFORM=offscreen "$studio_frames" --frames "$n_frames" >"$tmp/studio.out" 2>"$tmp/studio.stderr" || {
        cat "$tmp/studio.out"
        echo "--- studio_frames stderr (last 20 lines) ---" >&2
        tail -n 20 "$tmp/studio.stderr" >&2
        die "studio_frames failed (a check above says which)"
    }
    grep -E '^(studio_frames|load_ms|check|frame_ms scenario|drag)' "$tmp/studio.out" | sed 's/^/studio:    /'
    studio_line=$(grep '^frame_ms summary' "$tmp/studio.out") ||
        die "studio_frames printed no summary line"
    frame_p95=$(field worst_p95 "$studio_line")
fi

# ---- verdict -----------------------------------------------------------------
ratio_simpy=$(awk -v e="$ef_rate" -v s="$simpy_rate" 'BEGIN { printf "%.2f", e / s }')
overhead_bare=$(awk -v e="$ef_rate" -v b="$bare_rate" 'BEGIN { printf "%.2f", b / e }')
mark() { awk "BEGIN { print ($1) ? \"PASS\" : \"MISS\" }"; }
echo "target ratio_simpy   >= $min_ratio_simpy x SimPy: $ratio_simpy $(mark "$ratio_simpy >= $min_ratio_simpy")"
echo "target overhead_bare <= $max_overhead_bare x bare:  $overhead_bare $(mark "$overhead_bare <= $max_overhead_bare")"
echo "target peak_mb_10M   <  $max_peak_mb MB:      $peak_mb $(mark "$peak_mb < $max_peak_mb")"
if [[ $studio != 0 ]]; then
    echo "target frame_p95     <= $max_frame_ms ms:      $frame_p95 ($(field worst "$studio_line"), full repaint) $(mark "$frame_p95 <= $max_frame_ms")"
    echo "$studio_line"
fi
echo "messages/s eventflow=$ef_rate simpy=$simpy_rate bare=$bare_rate ratio_simpy=$ratio_simpy overhead_bare=$overhead_bare peak_mb_10M=$peak_mb"
