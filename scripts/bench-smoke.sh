#!/usr/bin/env bash
# Small runs of every benchmark, so CI notices when one breaks. Full-size numbers: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in bench/*.py; do
  [ -e "$script" ] || continue
  echo "-- $script --smoke"
  .venv/bin/python "$script" --smoke
done
