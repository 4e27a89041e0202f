#!/bin/sh
# Double-forks a long-running child whose command line carries the marker "$1" (the subshell exits
# at once, so the child is orphaned and no longer a descendant of this script), then, when "$2" is
# "hang", hangs itself; else exits OK.
( /bin/sh -c "sleep 1000; : $1" & )
if [ "$2" = hang ]; then sleep 1000; fi
echo "OK: child started"
exit 0
