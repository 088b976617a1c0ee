# amnesia's watchdog: it outlives a manager killed with SIGKILL and reaps what that manager left.
# The manager writes `+g PGID`, `-g PGID`, `+d DIR`, `-d DIR`, `r RUN` and `t MS` lines to our stdin. When
# stdin ends (the manager exited, or died) or we get SIGTERM, every group still listed gets SIGTERM, then
# SIGKILL once the stop timeout has passed, and every listed dir is removed. Processes that left their group
# (setsid) but carry AMNESIA_RUN_ID=RUN.<uid> in their environment (Linux: /proc/PID/environ) go the same way.
# POSIX sh (dash's builtins included), so that a run costs one small shell rather than a second Node.js.
trap '' INT HUP QUIT PIPE
nl='
'
groups=' '
dirs=$nl
run=''
timeout_ms=5000

# Of the groups given as arguments, those that still have a live process, one per line. Zombies do not
# count: under an init that does not reap (some containers), orphaned processes linger as zombies after they
# died. One pass over /proc whatever the number of groups, so a poll costs processes + groups, not their product.
live_groups() {
  [ $# -gt 0 ] || return 0
  if [ ! -r /proc/self/stat ]; then
    for pgid in "$@"; do kill -0 "-$pgid" 2>/dev/null && echo "$pgid"; done
    return 0
  fi
  # fields after the command name (which may hold spaces): state ppid pgrp ...
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v want="$*" '
    BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) wanted[w[i]] = 1 }
    { s = $0; sub(/.*\) /, "", s); split(s, f, " ")
      if ((f[3] in wanted) && f[1] != "Z" && f[1] != "X" && !(f[3] in seen)) { seen[f[3]] = 1; print f[3] } }'
}

# Pids of the processes that carry this run's id, wherever their group.
strays() {
  [ -n "$run" ] && [ -r /proc/self/environ ] || return 0
  grep -alz "^AMNESIA_RUN_ID=$run\\." /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/\([0-9]*\)/environ$|\1|' | grep -vx "$$"
}

reap() {
  trap '' TERM
  live=$(live_groups $groups)
  for pgid in $live; do kill -TERM "-$pgid" 2>/dev/null; done
  left=$(strays)
  for pid in $left; do kill -TERM "$pid" 2>/dev/null; done
  waited=0
  while [ -n "$live" ] && [ "$waited" -lt "$timeout_ms" ]; do
    sleep 0.05
    waited=$((waited + 50))
    live=$(live_groups $live)
  done
  for pgid in $live; do kill -KILL "-$pgid" 2>/dev/null; done
  for pid in $(strays); do kill -KILL "$pid" 2>/dev/null; done
  printf '%s\n' "$dirs" | while IFS= read -r dir; do [ -n "$dir" ] && rm -rf -- "$dir"; done
  exit 0
}
trap reap TERM

while IFS= read -r line; do
  arg=${line#* }
  case $line in
    '+g '*) groups="$groups$arg " ;;
    '-g '*) case $groups in *" $arg "*) groups="${groups%% "$arg" *} ${groups#* "$arg" }" ;; esac ;;
    # dirs: one per line (a path may hold spaces), each line ended; taken out with the shell's own expansions,
    # not a grep: a helper process still running after the manager has exited is one left behind
    '+d '*) dirs="$dirs$arg$nl" ;;
    '-d '*) case $dirs in *"$nl$arg$nl"*) dirs="${dirs%%"$nl$arg$nl"*}$nl${dirs#*"$nl$arg$nl"}" ;; esac ;;
    't '*) timeout_ms=$arg ;;
    'r '*) run=$arg ;;
  esac
done
reap
