"""scikit-learn (and with it numpy and scipy) loads only when a model is trained or used, not when a web
process loads the URLconf: about 80 MB per gunicorn worker that never shows a suggestion.

Runs in a fresh interpreter (this test process has long imported them): django.setup(), import the URLconf,
resolve every URL pattern's view, then look at sys.modules. Nothing of the project pulls numpy in at this
point either (matplotlib and shapely are imported by the functions that draw charts and route by area), so
the test asserts on numpy, scipy and sklearn.
"""

import json
import os
import subprocess
import sys

SCRIPT = """
import json, sys
import django
django.setup()
from django.urls import get_resolver, URLPattern, URLResolver

def walk(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry

views = [pattern.callback for pattern in walk(get_resolver().url_patterns)]
heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("sklearn", "numpy", "scipy"))
print(json.dumps({"views": len(views), "heavy": heavy[:20]}))
"""

PROOF = """
import django
django.setup()
from stadtdigital.reports.assist.suggestions import suggest
from stadtdigital.reports.selectors.assist import report_panel
import sys
before = "sklearn" in sys.modules
from stadtdigital.reports.assist import duplicates
print(before, "sklearn" in sys.modules, "numpy" in sys.modules)
"""


def _run(script: str, tmp_path) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, cwd=os.getcwd()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_urlconf_and_every_view_load_without_scikit_learn_or_numpy(tmp_path):
    found = json.loads(_run(SCRIPT, tmp_path))
    assert found["views"] > 100  # the whole URLconf was walked, not an empty one
    assert found["heavy"] == []


def test_the_assistance_still_loads_them_when_used(tmp_path):
    """The check above can fail: the duplicate finder (first use on a case page) does import them."""
    assert _run(PROOF, tmp_path) == "False True True"
