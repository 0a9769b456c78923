#!/bin/sh
# Starts a staged Assay install (deploy/build.sh) in the foreground: what the Docker image runs, and
# what a systemd unit's ExecStart can run (docs/operations.md). Configured by ASSAY_* variables only.
# `exec`, so the server is the process that receives SIGTERM and shuts down gracefully.
set -eu
home=$(cd "$(dirname "$0")/.." && pwd)
exec node "$home/packages/server/dist/main.js" start "$@"
