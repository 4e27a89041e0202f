#!/bin/sh
# A notifier for the exec channel tests. Each run keeps what it was given in DIR (its first argument):
# run-N.stdin, and run-N.kind, .check, .state, .message from its PICOMON_* environment; then it exits with
# the code written in DIR/exit (0 when there is none), or, if that file says "hang", sleeps until killed; run-N.exit
# says which.
dir="$1"
n=$(ls "$dir" | grep -c '\.stdin$')
base="$dir/run-$((n + 1))"
cat > "$base.tmp"
printf '%s' "$PICOMON_KIND" > "$base.kind"
printf '%s' "$PICOMON_CHECK" > "$base.check"
printf '%s' "$PICOMON_STATE" > "$base.state"
printf '%s' "$PICOMON_MESSAGE" > "$base.message"
mv "$base.tmp" "$base.stdin"
code=$(cat "$dir/exit" 2>/dev/null || echo 0)
printf '%s' "$code" > "$base.exit"
if [ "$code" = hang ]; then sleep 600; fi
echo "notifier: exiting with $code" >&2
exit "$code"
