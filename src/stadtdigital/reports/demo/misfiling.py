"""Demo reports filed in a wrong but plausible category, and staff's correction in the history.

About 15 % of the demo's citizens pick a neighbouring category (a hole in the cycle path filed as a pothole,
a dark traffic light as street lighting). Where staff have already touched the report, its history gets the
CATEGORY event that `workflow.change_category` writes (same `data`), just before staff's first step, and the
report keeps the right category: the "final category" a classifier learns from. Reports nobody has looked at
yet stay in the wrong category, as they would in the triage queue.
"""

import datetime
import random

from stadtdigital.reports.models import EventKind

MISFILED_SHARE = 0.15

# category code -> categories a citizen plausibly picks instead
PLAUSIBLE_MISTAKES: dict[str, tuple[str, ...]] = {
    "schlagloch": ("gehwege", "radwege", "kanal"),
    "strassenbeleuchtung": ("verkehrszeichen-ampeln", "sonstiges"),
    "wilder-muell": ("papierkorb", "sonstiges", "gruenflaechen"),
    "papierkorb": ("wilder-muell",),
    "gruenflaechen": ("spielplatz", "gehwege", "sonstiges"),
    "spielplatz": ("gruenflaechen", "sonstiges"),
    "verkehrszeichen-ampeln": ("strassenbeleuchtung", "sonstiges"),
    "radwege": ("schlagloch", "gehwege", "verkehrszeichen-ampeln"),
    "gehwege": ("schlagloch", "radwege", "winterdienst"),
    "graffiti": ("sonstiges", "wilder-muell"),
    "winterdienst": ("gehwege", "radwege"),
    "kanal": ("schlagloch", "sonstiges"),
    "sonstiges": ("wilder-muell", "gruenflaechen"),
}


def filed_category(rng: random.Random, final_code: str, categories_by_code: dict):
    """The category the citizen picked: mostly the right one, sometimes a plausible wrong one."""
    if rng.random() >= MISFILED_SHARE:
        return None
    options = [
        categories_by_code[c] for c in PLAUSIBLE_MISTAKES.get(final_code, ()) if c in categories_by_code
    ]
    return rng.choice(options) if options else None


def apply_misfiling(rng: random.Random, plan, final_category, wrong_category, workers: dict) -> None:
    """Adds staff's re-categorisation to `plan` (or leaves the report in the wrong category if no one
    from staff has acted yet)."""
    report = plan.report
    staff_steps = [e for e in plan.events if e["actor"] is not None]
    if not staff_steps:
        report.category = wrong_category
        report.department_id = wrong_category.department_id
        report.needs_triage = True
        plan.answers = []  # the answers belong to the right category's questions
        return
    first = min(e["created_at"] for e in staff_steps)
    at = max(
        report.created_at + datetime.timedelta(minutes=1),
        first - datetime.timedelta(minutes=rng.randint(5, 90)),
    )
    actor = (workers.get(wrong_category.department_id) or [staff_steps[0]["actor"]])[0]
    text = f"Kategorie „{wrong_category.name}“ → „{final_category.name}“"
    if wrong_category.department_id != final_category.department_id:
        text += f"; weitergeleitet an {final_category.department.name}"
    plan.events.append(
        {
            "created_at": at,
            "kind": EventKind.CATEGORY,
            "from_state": "",
            "to_state": "",
            "public_text": "",
            "internal_note": text,
            "actor": actor,
            "is_public": False,
            "data": {
                "from": wrong_category.pk,
                "from_name": wrong_category.name,
                "to": final_category.pk,
                "to_name": final_category.name,
                "from_department": wrong_category.department_id,
                "to_department": final_category.department_id,
            },
        }
    )
    plan.events.sort(key=lambda e: e["created_at"])
