"""Loads the demo category catalogue and 5,000 synthetic reports with whole, consistent histories.

Reports are planned in Python with a seeded random generator (times relative to "now": the demo always
shows the last two years) and written with bulk inserts, so loading takes seconds. Every report has a
CREATED event; its STATE events chain from one state to the next and end in the report's current state;
`closed_at` is the time of the last closing event. Reports closed longer ago than
PERSONAL_DATA_RETENTION_DAYS carry no personal data (as if the daily purge had run). Every email address
ends in `@example.org` and every phone number is a `+49 7131 555…` number: nothing belongs to a real person.
"""

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from stadtdigital.core import roles
from stadtdigital.core.models import Department, SyntheticDataMarker
from stadtdigital.core.text import german_slugify
from stadtdigital.reports import pii
from stadtdigital.reports.demo import catalogue, misfiling, texts
from stadtdigital.reports.demo import personal_data as demo_personal_data
from stadtdigital.reports.demo.streets import (
    M_PER_DEG_LAT,
    M_PER_DEG_LON,
    Landmark,
    Street,
    house_number_at,
    load_city,
)
from stadtdigital.reports.models import (
    CLOSED_STATES,
    OPEN_STATES,
    AnswerTemplate,
    AreaAlert,
    AttributeValue,
    Category,
    CategoryGroup,
    CategoryQuestion,
    Event,
    EventKind,
    Report,
    Source,
    State,
    Subscription,
    Visibility,
)

DATASET = "reports"
DEMO_REPORT_COUNT = 5000
HISTORY_DAYS = 730
PERSONAL_DATA_SHARE = 0.04  # descriptions with a phone number, email, licence plate or IBAN in the text
LEITSTELLE = "Leitstelle"  # group name of the back office's Leitstelle role (core.roles.LEITSTELLE)

Progress = Callable[[int, int], None]

# Login accounts the demo command creates with its password: (username, first, last, role, department slug).
DEMO_ACCOUNTS = (
    ("demo-tiefbau", "Demo", "Tiefbauamt", roles.DEPARTMENT_STAFF, "tiefbauamt"),
    ("demo-leitstelle", "Demo", "Leitstelle", LEITSTELLE, None),
)
OUTCOMES = (  # closing state, weight
    (State.FIXED, 72),
    (State.CLOSED_NOT_FIXED, 7),
    (State.REJECTED, 4),
    (State.DUPLICATE, 9),
    (State.NOT_RESPONSIBLE, 5),
    (None, 3),  # stays open (overdue), if received recently (plan_report)
)


@dataclass
class LoadResult:
    created: int = 0
    already_loaded: bool = False
    categories: int = 0


@dataclass
class Reference:
    categories: list[Category]
    specs: dict[str, catalogue.CategorySpec]
    questions: dict[str, list[CategoryQuestion]]
    templates: dict[tuple[str, str], str]  # (state, category code or "") -> text
    workers: dict[int, list]  # department id -> users
    by_code: dict[str, Category] = field(default_factory=dict)


@dataclass
class PlannedReport:
    report: Report
    events: list[dict] = field(default_factory=list)
    answers: list[tuple[CategoryQuestion, object]] = field(default_factory=list)
    subscribers: list[str] = field(default_factory=list)
    duplicate_of: int | None = None  # index of the original among the planned reports
    problem: str = ""  # the problem phrase of the description (a planted duplicate reuses it)
    personal_data: tuple[list[str], str] | None = None  # (kinds, original text) when the text held some


def demo_loaded() -> bool:
    return SyntheticDataMarker.objects.filter(dataset=DATASET).exists()


def real_data_present() -> bool:
    """Reports not made by the demo, or categories the demo catalogue does not know."""
    demo_codes = {spec.code for spec in catalogue.CATEGORIES}
    return (
        Report.objects.exclude(source=Source.DEMO).exists()
        or Category.objects.exclude(code__in=demo_codes).exists()
    )


def ensure_departments() -> dict[str, Department]:
    departments = {}
    for slug, name, short_name, mailbox in catalogue.DEPARTMENTS:
        dept = Department.objects.filter(slug=slug).first() or Department.objects.filter(name=name).first()
        if dept is None:
            dept = Department.objects.create(
                name=name, short_name=short_name, slug=slug, email=f"{mailbox}@musterstadt.example"
            )
        departments[slug] = dept
    return departments


@transaction.atomic
def ensure_catalogue() -> dict[str, Category]:
    """Groups, categories, questions and answer templates; existing rows (matched by name/code) are kept."""
    departments = ensure_departments()
    groups = {
        name: CategoryGroup.objects.get_or_create(name=name, defaults={"position": position})[0]
        for name, position in catalogue.GROUPS
    }
    categories = {}
    for position, spec in enumerate(catalogue.CATEGORIES, start=1):
        category, _ = Category.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "group": groups[spec.group],
                "description": spec.description,
                "keywords": spec.keywords,
                "department": departments[spec.department],
                "duplicate_radius_m": spec.radius_m,
                "target_days": spec.target_days,
                "notice": spec.notice,
                "emergency_notice": spec.emergency,
                "needs_triage": spec.needs_triage,
                "position": position,
            },
        )
        categories[spec.code] = category
        for n, q in enumerate(spec.questions, start=1):
            CategoryQuestion.objects.get_or_create(
                category=category,
                code=q.code,
                defaults={
                    "label": q.label,
                    "help_text": q.help_text,
                    "datatype": q.datatype,
                    "required": q.required,
                    "is_public": q.public,
                    "choices": [{"key": german_slugify(c), "name": c} for c in q.choices],
                    "position": n,
                },
            )
    for title, state, text in catalogue.STATE_TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, state=state, category=None, defaults={"text": text})
    for title, state, code, text in catalogue.CATEGORY_TEMPLATES:
        AnswerTemplate.objects.get_or_create(
            title=title, state=state, category=categories[code], defaults={"text": text}
        )
    return categories


def ensure_case_workers(categories: dict[str, Category]) -> dict[int, list]:
    """Two synthetic case workers per department (no password: they cannot log in) plus the demo logins."""
    User = get_user_model()  # noqa: N806
    roles.ensure_role_groups()
    staff_group = Group.objects.get(name=roles.DEPARTMENT_STAFF)
    Group.objects.get_or_create(name=LEITSTELLE)
    rng = random.Random("stadtdigital-demo-case-workers")
    workers: dict[int, list] = {}
    for dept in sorted({c.department for c in categories.values()}, key=lambda d: d.slug):
        users = []
        for n in (1, 2):
            user, created = User.objects.get_or_create(
                username=f"sb-{dept.slug}-{n}"[:150],
                defaults={
                    "first_name": rng.choice(catalogue.FIRST_NAMES),
                    "last_name": f"{rng.choice(catalogue.LAST_NAMES)} ({dept.short_name or dept.name})",
                    "email": f"sb-{dept.slug}-{n}@musterstadt.example",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(staff_group)
                dept.staff.add(user)
            users.append(user)
        workers[dept.pk] = users
    for username, first, last, _role, dept_slug in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()  # the demo command gives it the demo password
            user.save(update_fields=["password"])
        if dept_slug:
            dept = Department.objects.get(slug=dept_slug)
            dept.staff.add(user)
            workers.setdefault(dept.pk, []).append(user)
    return workers


def reference() -> Reference:
    categories = ensure_catalogue()
    specs = {spec.code: spec for spec in catalogue.CATEGORIES}
    questions: dict[str, list[CategoryQuestion]] = {}
    for q in CategoryQuestion.objects.select_related("category"):
        questions.setdefault(q.category.code, []).append(q)
    templates = {}
    for t in AnswerTemplate.objects.select_related("category").order_by("id"):
        templates.setdefault((t.state, t.category.code if t.category else ""), t.text)
    return Reference(
        categories=[categories[s.code] for s in catalogue.CATEGORIES],
        specs=specs,
        questions=questions,
        templates=templates,
        workers=ensure_case_workers(categories),
        by_code=categories,
    )


# --- places -------------------------------------------------------------------------------------------


class Places:
    """Random report locations along the synthetic streets (weighted by length) and near landmarks."""

    def __init__(self, streets: list[Street], landmarks: list[Landmark]):
        self.streets, self.landmarks = streets, landmarks
        self.cumulative, total = [], 0.0
        for street in streets:
            total += street.length_m
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> tuple[float, float, str]:
        if rng.random() < 0.12:
            landmark = rng.choice(self.landmarks)
            return (
                landmark.lat + rng.gauss(0, 25) / M_PER_DEG_LAT,
                landmark.lon + rng.gauss(0, 25) / M_PER_DEG_LON,
                landmark.name,
            )
        import bisect

        index = min(bisect.bisect_left(self.cumulative, rng.random() * self.total), len(self.streets) - 1)
        street = self.streets[index]
        fraction = rng.random()
        lat, lon = street.point_at(fraction)
        side = rng.choice((-1, 1))
        number = house_number_at(fraction * street.length_m) + (1 if side > 0 else 0)
        return (
            lat + side * rng.uniform(3, 9) / M_PER_DEG_LAT,
            lon + rng.uniform(-4, 4) / M_PER_DEG_LON,
            f"{street.name} {number}",
        )


def _clip(lat: float, lon: float) -> tuple[float, float]:
    south, west, north, east = settings.CITY_BOUNDS
    return min(north, max(south, lat)), min(east, max(west, lon))


# --- one report's history -------------------------------------------------------------------------------


def _hours(h: float) -> datetime.timedelta:
    return datetime.timedelta(hours=h)


def _answer(rng: random.Random, spec: catalogue.CategorySpec, attribute_question: CategoryQuestion):
    q = attribute_question
    if q.datatype == "number":
        return round(rng.uniform(0.5, 6), 1) if "m³" in q.label else rng.randint(10, 120)
    if q.datatype == "singlevaluelist":
        return rng.choice(q.choices)["key"]
    if q.datatype == "multivaluelist":
        return sorted({rng.choice(q.choices)["key"] for _ in range(rng.randint(1, 2))})
    if q.code == "mastnummer":
        return f"{rng.randint(1, 40):02d}-{rng.randint(100, 999)}"
    return rng.choice(("Schaukel", "Rutsche", "Wippe", "Klettergerüst", "Sandkasten", "Seilbahn"))


def _email(rng: random.Random, first: str, last: str) -> str:
    local = german_slugify(f"{first}.{last}").replace("-", ".") or "buerger"
    return f"{local}{rng.randint(1, 999)}@example.org"


def plan_report(
    rng: random.Random,
    ref: Reference,
    places: Places,
    now: datetime.datetime,
    created: datetime.datetime,
    earlier: dict[int, list[tuple[int, PlannedReport]]],
    index: int,
) -> PlannedReport:
    weights = [ref.specs[c.code].weight for c in ref.categories]
    category = rng.choices(ref.categories, weights=weights)[0]
    spec = ref.specs[category.code]
    lat, lon, address = places.pick(rng)
    outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
    if outcome is None and now - created > datetime.timedelta(days=3 * spec.target_days):
        # A working department leaves nothing open for months: only recent reports stay open and overdue.
        outcome = State.FIXED
    original = None
    if outcome == State.DUPLICATE:
        candidates = [
            (i, p)
            for i, p in earlier.get(category.pk, [])[-40:]
            if (created - p.report.created_at).days < 60 and p.report.visibility == Visibility.PUBLIC
        ]
        if candidates:
            original = rng.choice(candidates)
            lat = original[1].report.lat + rng.uniform(-15, 15) / M_PER_DEG_LAT
            lon = original[1].report.lon + rng.uniform(-15, 15) / M_PER_DEG_LON
            address = original[1].report.address
        else:
            outcome = State.FIXED
    lat, lon = _clip(lat, lon)
    workers = ref.workers.get(category.department_id) or [None]
    worker = rng.choice(workers)
    target = datetime.timedelta(days=spec.target_days)

    with_email = rng.random() < 0.65
    first, last = rng.choice(catalogue.FIRST_NAMES), rng.choice(catalogue.LAST_NAMES)
    # Wording has its own generator: changing texts must not change times and states of the demo.
    text_rng = random.Random(f"stadtdigital-demo-text:{index}")
    problem = original[1].problem if original else texts.problem_of(text_rng, category.code)
    with_personal_data = text_rng.random() < PERSONAL_DATA_SHARE
    description = texts.description(
        text_rng, category.code, address, personal_data=with_personal_data, problem=problem
    )
    # As in the intake: personal data in the text is stored masked (demo/personal_data.py).
    original_description = description
    description, findings = pii.mask(description)
    report = Report(
        category=category,
        department_id=category.department_id,
        state=State.RECEIVED,
        visibility=Visibility.PUBLIC,
        description=description,
        lat=round(lat, 6),
        lon=round(lon, 6),
        address=address,
        created_at=created,
        updated_at=created,
        due_at=created + target,
        needs_triage=spec.needs_triage,
        source=Source.DEMO,
        privacy_consent_at=created if with_email else None,
        reporter_email=_email(rng, first, last) if with_email else "",
        reporter_name=f"{first} {last}" if with_email and rng.random() < 0.5 else "",
        reporter_phone=f"+49 7131 555{rng.randint(0, 9999):04d}" if with_email and rng.random() < 0.2 else "",
    )
    report.show_name = bool(report.reporter_name) and rng.random() < 0.3
    plan = PlannedReport(report, duplicate_of=original[0] if original else None, problem=problem)
    if findings:
        plan.personal_data = (pii.kinds(findings), original_description)
    events = plan.events

    def add(at, kind, *, from_state="", to_state="", text="", note="", actor=None, data=None, public=None):
        if public is None:
            public = bool(text) or bool(to_state and to_state != from_state)
        events.append(
            {
                "created_at": at,
                "kind": kind,
                "from_state": from_state,
                "to_state": to_state,
                "public_text": text,
                "internal_note": note,
                "actor": actor,
                "is_public": public,
                "data": data or {},
            }
        )

    def template(state: str) -> str:
        return ref.templates.get((state, category.code)) or ref.templates.get((state, ""), "")

    add(created, EventKind.CREATED, to_state=State.RECEIVED)
    timeline: list[tuple] = []  # (at, callable) planned after creation, cut at now
    t = created
    if with_email:
        confirm_at = created + _hours(rng.uniform(0.05, 20))
        if confirm_at > now or (now - created < datetime.timedelta(days=7) and rng.random() < 0.25):
            report.visibility = Visibility.PENDING_CONFIRMATION
            report.confirmed_at = None
        else:
            report.confirmed_at = confirm_at
            timeline.append((confirm_at, "confirm", None))
            t = confirm_at
    if report.visibility == Visibility.PUBLIC:
        if spec.needs_triage or rng.random() < 0.5:
            t += _hours(rng.uniform(1, 40))
            timeline.append((t, "state", State.IN_REVIEW))
        t += _hours(rng.uniform(2, 20))
        timeline.append((t, "assign", None))
        if outcome in (State.DUPLICATE, State.NOT_RESPONSIBLE, State.REJECTED):
            t += _hours(rng.uniform(4, 96))
            timeline.append((t, "state", outcome))
        else:
            t += target * rng.uniform(0.05, 0.3)
            timeline.append((t, "state", State.IN_PROGRESS))
            if rng.random() < 0.2:
                timeline.append((t + target * rng.uniform(0.1, 0.3), "update", None))
            if outcome is not None:
                resolved = created + target * math.exp(rng.gauss(-0.35, 0.6)) + _hours(rng.uniform(1, 30))
                # never before "in Bearbeitung": sorted before it, the closing left the report open for good
                t = max(resolved, t + _hours(1))
                timeline.append((t, "state", outcome))
                if outcome == State.FIXED and rng.random() < 0.07:
                    t += _hours(rng.uniform(24, 400))
                    timeline.append((t, "feedback", None))
                    if rng.random() < 0.7:
                        t += target * rng.uniform(0.2, 0.8)
                        timeline.append((t, "state", State.IN_PROGRESS))
                        t += target * rng.uniform(0.2, 0.8)
                        timeline.append((t, "state", State.FIXED))
                    else:  # the department looks again and explains why nothing more will be done
                        t += target * 0.5
                        timeline.append((t, "state", State.CLOSED_NOT_FIXED))
        if rng.random() < 0.01:
            timeline.append((created + _hours(rng.uniform(1, 30)), "hide", None))
    timeline.sort(key=lambda item: item[0])

    state = State.RECEIVED
    closed_at = None
    for at, action, target_state in timeline:
        if at > now:
            break
        if action == "confirm":
            add(at, EventKind.CONFIRMED)
        elif action == "assign":
            if worker is not None:
                report.assigned_to = worker
                add(at, EventKind.ASSIGNMENT, actor=worker, data={"assigned_to": worker.pk}, public=False)
        elif action == "update":
            add(at, EventKind.ANSWER, actor=worker, text=template(State.IN_PROGRESS))
        elif action == "hide":
            report.visibility = Visibility.HIDDEN
            add(
                at,
                EventKind.MODERATION,
                actor=worker,
                note="Meldung verborgen: beleidigender Inhalt.",
                data={"action": "hide_report"},
                public=False,
            )
        elif action == "feedback":
            add(
                at,
                EventKind.FEEDBACK,
                text="Rückmeldung: nicht behoben. „Die Stelle sieht noch genauso aus wie vorher.“",
                data={"fixed": False},
            )
            add(at, EventKind.STATE, from_state=state, to_state=State.REOPENED, text=template(State.REOPENED))
            state, closed_at = State.REOPENED, None
        elif action == "state":
            text = template(target_state)
            note = ""
            if target_state == State.NOT_RESPONSIBLE:
                report.forwarded_to = rng.choice(catalogue.FORWARDED_TO)
                text = f"{text} Zuständig ist: {report.forwarded_to}."
            elif target_state == State.CLOSED_NOT_FIXED:
                text = f"{text} {rng.choice(catalogue.CLOSED_REASONS)}"
            elif target_state == State.REJECTED:
                text = f"{text} {rng.choice(catalogue.REJECT_REASONS)}"
            elif target_state == State.IN_REVIEW and spec.needs_triage:
                note = "Eingangsprüfung: Kategorie passt, bleibt beim Ordnungsamt."
            kwargs = {"text": text, "note": note, "actor": worker}
            add(at, EventKind.STATE, from_state=state, to_state=target_state, **kwargs)
            state = target_state
            closed_at = at if target_state in CLOSED_STATES else None
            if target_state == State.IN_REVIEW and spec.needs_triage:
                report.needs_triage = False
    report.state = state
    report.is_open = state in OPEN_STATES
    report.closed_at = closed_at
    if report.visibility == Visibility.PENDING_CONFIRMATION:
        report.assigned_to = None
    if state != State.DUPLICATE:
        plan.duplicate_of = None

    retention = datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    if closed_at is not None and closed_at + retention < now:
        report.reporter_name = report.reporter_email = report.reporter_phone = ""
        report.show_name = False
        report.personal_data_purged_at = closed_at + retention + _hours(rng.uniform(0, 24))
    elif report.reporter_email and report.visibility != Visibility.PENDING_CONFIRMATION:
        plan.subscribers.append(report.reporter_email)

    supporters = min(40, int(rng.expovariate(1.6))) if report.visibility == Visibility.PUBLIC else 0
    support_end = closed_at or now
    for _ in range(supporters):
        at = created + (support_end - created) * rng.random()
        add(at, EventKind.SUPPORT, public=False)
        if rng.random() < 0.3 and not report.personal_data_purged_at:
            plan.subscribers.append(_email(rng, rng.choice(catalogue.FIRST_NAMES), "unterstuetzer"))
    report.supporters_count = supporters
    plan.events.sort(key=lambda e: e["created_at"])
    report.updated_at = plan.events[-1]["created_at"]

    for q in ref.questions.get(category.code, []):
        if q.required or rng.random() < 0.5:
            plan.answers.append((q, _answer(rng, spec, q)))
    wrong = misfiling.filed_category(text_rng, category.code, ref.by_code)
    if wrong is not None:
        misfiling.apply_misfiling(text_rng, plan, category, wrong, ref.workers)
        report.updated_at = max(report.updated_at, plan.events[-1]["created_at"])
    earlier.setdefault(category.pk, []).append((index, plan))
    return plan


def _creation_times(rng: random.Random, count: int, now: datetime.datetime) -> list[datetime.datetime]:
    """Creation times over the last two years, more in recent months, more by day than by night."""
    times = []
    for _ in range(count):
        days = HISTORY_DAYS * (rng.random() ** 1.25)
        hour = min(23.9, max(0.0, rng.gauss(13, 4)))
        at = now - datetime.timedelta(days=days)
        local = timezone.localtime(at)
        at = local.replace(hour=int(hour), minute=int(hour % 1 * 60), second=rng.randint(0, 59))
        # UTC: adding days to a Europe/Berlin time would count wall-clock days across DST changes
        times.append(min(at.astimezone(datetime.UTC), now - datetime.timedelta(minutes=5)))
    return sorted(times)


def write_plans(plans: list[PlannedReport]) -> list[Report]:
    reports = [p.report for p in plans]
    Report.objects.bulk_create(reports, batch_size=1000)
    if any(r.pk is None for r in reports):  # databases that cannot return ids from bulk inserts
        ids = dict(
            Report.objects.filter(confirmation_token__in=[r.confirmation_token for r in reports]).values_list(
                "confirmation_token", "pk"
            )
        )
        for r in reports:
            r.pk = ids[r.confirmation_token]
    duplicates = []
    for plan in plans:
        if plan.duplicate_of is not None:
            plan.report.duplicate_of_id = plans[plan.duplicate_of].report.pk
            duplicates.append(plan.report)
    Report.objects.bulk_update(duplicates, ["duplicate_of"], batch_size=1000)
    events, answers, subscriptions = [], [], []
    for plan in plans:
        rid = plan.report.pk
        events += [Event(report_id=rid, **e) for e in plan.events]
        answers += [AttributeValue(report_id=rid, question=q, value=v) for q, v in plan.answers]
        subscriptions += [
            Subscription(report_id=rid, email=email, confirmed_at=plan.report.created_at)
            for email in dict.fromkeys(plan.subscribers)
        ]
    Event.objects.bulk_create(events, batch_size=2000)
    demo_personal_data.write_findings(plans)
    AttributeValue.objects.bulk_create(answers, batch_size=2000)
    Subscription.objects.bulk_create(subscriptions, batch_size=2000)
    return reports


def _area_alerts(rng: random.Random, places: Places, count: int = 25) -> list[AreaAlert]:
    alerts = []
    for _ in range(count):
        lat, lon, _address = places.pick(rng)
        alerts.append(
            AreaAlert(
                email=_email(rng, rng.choice(catalogue.FIRST_NAMES), "nachbarschaft"),
                lat=round(lat, 6),
                lon=round(lon, 6),
                radius_m=rng.choice((250, 500, 500, 1000)),
                confirmed_at=timezone.now(),
            )
        )
    return alerts


def load_demo_reports(
    progress: Progress | None = None, *, count: int = DEMO_REPORT_COUNT, now=None, seed: int = 0
) -> LoadResult:
    """Loads the catalogue and `count` synthetic reports once; later calls change nothing."""
    result = LoadResult()
    if demo_loaded():
        result.already_loaded = True
        return result
    now = now or timezone.now()
    rng = random.Random(f"stadtdigital-demo-reports:{seed}")
    with transaction.atomic():
        ref = reference()
        result.categories = len(ref.categories)
        places = Places(*load_city())
        times = _creation_times(rng, count, now)
        earlier: dict[int, list] = {}
        plans = []
        for index, created in enumerate(times):
            plans.append(plan_report(rng, ref, places, now, created, earlier, index))
            if progress and (index + 1) % 1000 == 0:
                progress(index + 1, count)
        write_plans(plans)
        AreaAlert.objects.bulk_create(_area_alerts(rng, places))
        SyntheticDataMarker.objects.get_or_create(dataset=DATASET)
        result.created = len(plans)
    if progress and count % 1000:
        progress(count, count)
    return result
