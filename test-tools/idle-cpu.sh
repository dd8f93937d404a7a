#!/usr/bin/env bash
# idle-cpu.sh — how much CPU the idle wizard uses (issue 8: under 0.5 % of
# a core). Builds pqentra, opens `pqentra --demo` in a tmux window of its
# own, waits for the Register screen, then reads the process's CPU time
# (utime+stime from /proc/PID/stat, Linux) over SECONDS seconds of nobody
# typing. Usage: test-tools/idle-cpu.sh [SECONDS] [WIDTHxHEIGHT]
set -euo pipefail
secs=${1:-30}
size=${2:-100x30}
dir=$(mktemp -d)
sock="pqentra-idle-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/pqentra" "$(dirname "$0")/.."
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
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "idle wizard at %s: %.2f%% of a core over %d s (%d ticks)\n", "'"$size"'", 100 * d / hz / s, s, d }'
