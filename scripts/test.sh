#!/usr/bin/env bash
# Sets up everything the test suite needs, then runs it: `bash scripts/test.sh [pytest arguments]`.
# Creates .venv (if missing), installs stadtdigital with its test extras, and, when run as root on
# Debian, the system packages the browser and PDF tests use (Chromium, poppler-utils, fonts).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# tests/deploy (several servers, backup and restore) start their own PostgreSQL cluster.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]} (install them with your package manager)" >&2
    exit 1
  fi
fi

.venv/bin/ruff check src tests bench scripts
# In parallel (pytest-xdist), one worker per core unless TEST_WORKERS says otherwise (TEST_WORKERS=0: one
# process). --dist loadgroup hands each test to a free worker, except the modules in tests/conftest.py's
# ONE_WORKER_MODULES, which load the demo once for all their tests and so run on one worker. Each worker has
# its own data directory (tests/settings.py) and, on PostgreSQL, its own test database (pytest-django
# appends the worker id to its name), its own live server and Chromium.
parallel=(-n "${TEST_WORKERS:-auto}" --dist loadgroup)
for arg in "$@"; do
  case "$arg" in -n|-n*|--numprocesses*|no:xdist) parallel=() ;; esac
done
exec .venv/bin/python -m pytest "${parallel[@]}" "$@"
