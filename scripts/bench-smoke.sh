#!/usr/bin/env bash
# Small runs of every benchmark, so CI notices when one breaks. Full-size numbers: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# bench/proxy_cache.py puts nginx (Debian package) in front of gunicorn.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: nginx"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "Missing system package: nginx (apt-get install nginx), needed by bench/proxy_cache.py" >&2
    exit 1
  fi
fi
for script in bench/*.py; do
  [ -e "$script" ] || continue
  echo "-- $script --smoke"
  .venv/bin/python "$script" --smoke
done
