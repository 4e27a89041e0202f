#!/bin/sh
# A CRITICAL plugin that writes 10 MB to stdout and 10 MB to stderr after its status line.
echo "CRITICAL: flood | bytes=10000000"
head -c 10000000 /dev/zero | tr '\0' 'x'
head -c 10000000 /dev/zero | tr '\0' 'y' >&2
exit 2
