#!/bin/sh
# The example program. It reports which of its secrets it was given (names and lengths, never values) and
# its PID (1 when secrets-exec handed PID 1 over to it), then runs until it is stopped. On TERM (what
# `docker stop` and Kubernetes send) it exits with its own status, STOP_STATUS (default 0).
set -u

for name in DB_USER DB_PASSWORD API_KEY; do
  eval "value=\${$name-}"
  if [ -n "$value" ]; then
    printf '%s: set, %d characters\n' "$name" "${#value}"
  else
    printf '%s: missing\n' "$name"
  fi
done
unset value

# A shell runs a trap only between commands, so wait on a background sleep (wait returns at once on a
# trapped signal) and stop that sleep too, so that nothing is left behind outside a container.
trap 'kill "$sleeper" 2>/dev/null; echo "stopping on TERM"; exit "${STOP_STATUS:-0}"' TERM
sleep 2147483647 &
sleeper=$!
echo "pid $$: ready"
wait "$sleeper"
