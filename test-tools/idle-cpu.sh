#!/usr/bin/env bash
# idle-cpu.sh — how much CPU the idle wizard uses (issue 21: under 0.5 % of
# a core over 20 s with nothing typed). Builds pqentra, opens
# `pqentra --demo` in a tmux window of its own, waits for the Register
# screen, then reads the process's CPU time (utime+stime from
# /proc/PID/stat, Linux) over SECONDS seconds of nobody typing.
# With --profile it also runs tui's BenchmarkIdleWizard (the same program
# in-process) for SECONDS with a pprof CPU profile and prints its top
# entries: what wakes an idle wizard.
# Usage: test-tools/idle-cpu.sh [--profile] [SECONDS] [WIDTHxHEIGHT]
set -euo pipefail
profile=
if [ "${1:-}" = --profile ]; then
	profile=1
	shift
fi
secs=${1:-20}
size=${2:-100x30}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
sock="pqentra-idle-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/pqentra" "$root"
tmux -L "$sock" -f /dev/null new-session -d -x "${size%x*}" -y "${size#*x}" -s idle \
	env HOME="$dir" XDG_CACHE_HOME="$dir" XDG_STATE_HOME="$dir/state" "$dir/pqentra" --demo
for _ in $(seq 300); do
	tmux -L "$sock" capture-pane -p -t idle | grep -q 'Resource application' && break
	sleep 0.1
done
pid=$(tmux -L "$sock" list-panes -t idle -F '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
sleep 2 # let the first frames settle
t0=$(ticks)
sleep "$secs"
t1=$(ticks)
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "idle wizard at %s: %.2f%% of a core over %d s (%d ticks; target < 0.5%%)\n", "'"$size"'", 100 * d / hz / s, s, d }'
if [ -n "$profile" ]; then
	(cd "$root" && PQENTRA_IDLE_SECONDS="$secs" go test ./tui -run '^$' -bench BenchmarkIdleWizard -benchtime 1x \
		-cpuprofile "$dir/idle.prof" -o "$dir/tui.test" | grep Benchmark)
	go tool pprof -top -nodecount=25 "$dir/tui.test" "$dir/idle.prof" 2>/dev/null | tail -n +6
fi
