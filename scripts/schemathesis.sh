#!/usr/bin/env bash
# schemathesis against /open311/v2/openapi.json on a live server (issue 4: no 5xx, no response that
# contradicts the description). Throwaway DATA_DIR and SQLite database, a few categories and reports,
# `stadtdigital runserver` on a free loopback port, a bounded run; exits non-zero on any failure.
#
# Checks: all (no 5xx, status codes, content types, headers and bodies as documented, 405 for other
# methods, ...) except two, left out on purpose:
# - positive_data_acceptance: a request can fit the schema and still be refused with 400/403 by rules
#   OpenAPI 3.0 cannot express (start_date..end_date at most 90 days, lat only together with long, POST
#   needs a valid api_key, which the run does not have) – the documented 400/403 answer is correct.
# - negative_data_rejection: the API is lenient as the specification asks (an empty parameter counts as
#   absent, values are trimmed, extensions=1/yes are accepted), so some "invalid" inputs rightly succeed.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
DATA_DIR="$(mktemp -d)"
export DATA_DIR
export DEBUG=0 HTTPS_ONLY=0 SECRET_KEY="schemathesis-throwaway-$RANDOM$RANDOM" DATABASE_URL=""
unset DATABASE_URL
PORT="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export SITE_URL="http://127.0.0.1:$PORT" ALLOWED_HOSTS="127.0.0.1,localhost"

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

.venv/bin/stadtdigital migrate --noinput >/dev/null
.venv/bin/python - <<'PY'
import datetime
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtdigital.settings")

django.setup()
from django.utils import timezone

from stadtdigital.core.models import Department  # noqa: E402
from stadtdigital.reports.models import OPEN_STATES, Category, CategoryGroup, CategoryQuestion, Report, State

department, _ = Department.objects.get_or_create(name="Tiefbauamt", defaults={"slug": "tiefbauamt"})
group, _ = CategoryGroup.objects.get_or_create(name="Straße")
pothole, _ = Category.objects.get_or_create(
    code="schlagloch", defaults={"name": "Schlaglöcher", "group": group, "department": department}
)
Category.objects.get_or_create(
    code="spielplatz", defaults={"name": "Spielplätze", "group": group, "department": department}
)
CategoryQuestion.objects.get_or_create(
    category=pothole, code="gefahr", defaults={"label": "Gefahr für", "datatype": "singlevaluelist",
    "choices": [{"key": "rad", "name": "Radfahrende"}]},
)
now = timezone.now()
for number, state in enumerate([State.RECEIVED, State.IN_PROGRESS, State.FIXED, State.REJECTED]):
    created = now - datetime.timedelta(days=number * 10 + 1)
    Report.objects.create(
        category=pothole, department=department, state=state, is_open=state in OPEN_STATES,
        description=f"Schlagloch {number} <&>", lat=49.14 + number / 1000, lon=9.21,
        created_at=created, updated_at=created,
    )
PY

.venv/bin/stadtdigital runserver --noreload "127.0.0.1:$PORT" >"$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 50); do
  if .venv/bin/python -c "import urllib.request; urllib.request.urlopen('$SITE_URL/open311/v2/openapi.json', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

status=0
timeout 170 .venv/bin/schemathesis run "$SITE_URL/open311/v2/openapi.json" \
  --url "$SITE_URL" \
  --checks all --exclude-checks negative_data_rejection,positive_data_acceptance \
  --max-examples "$MAX_EXAMPLES" \
  --phases examples,coverage,fuzzing \
  --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis failed (exit $status); server log:" >&2
  tail -n 40 "$DATA_DIR/server.log" >&2
fi
exit "$status"
