"""Imports the portfolio from a CSV or XLSX file (format: tabular.py, docs/portfolio-import-format.md).

All or nothing: every row is read and checked first and every problem collected; the database is written
only when there is none, in one transaction, through the service layer (so history entries are recorded).
"""

import copy
import datetime
import difflib
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stadtdigital.core.models import Department
from stadtdigital.core.text import german_slugify
from stadtdigital.portfolio import services, tabular
from stadtdigital.portfolio.limits import Limits
from stadtdigital.portfolio.models import (
    KPI,
    FieldOfAction,
    Milestone,
    Partner,
    PartnerKind,
    Priority,
    Project,
    ProjectLink,
    ProjectVersion,
    Status,
    Tag,
)
from stadtdigital.portfolio.tabular import CellError, TableError, normalize_name

PROGRESS_EVERY = 500

# Project fields a row may set directly (slug, status date and the lists are handled separately).
# The same project fields the back office edits: a file row is one project form.
SCALAR_FIELDS = frozenset(services.EDITABLE_FIELDS)
TEXT_FIELDS = frozenset(
    {"title", "summary", "description", "contact_person", "internal_notes", "funding_source"}
)
REQUIRED_CELLS = ("title", "field_of_action", "status", "department")

MILESTONE_KEYWORDS = {"fällig": "due", "faellig": "due", "erreicht": "done_on", "erledigt": "done_on"}
KPI_KEYWORDS = {
    "einheit": "unit",
    "ziel": "target",
    "zielwert": "target",
    "aktuell": "current",
    "ist": "current",
    "stand": "as_of",
}

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported; row and column as the user sees them in the spreadsheet."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Zeile %(row)s, Spalte '%(column)s': %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Zeile %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PartnerEntry:
    name: str
    kind: str | None


@dataclass(frozen=True)
class RowPlan:
    """What importing one row does."""

    row: int
    slug: str
    title: str
    action: Action
    project: Project | None = None
    scalar_changes: dict[str, Any] = field(default_factory=dict)
    effective_date: datetime.date | None = None
    partners: list[PartnerEntry] | None = None
    tags: list[str] | None = None
    milestones: list[Milestone] | None = None
    kpis: list[KPI] | None = None
    links: list[ProjectLink] | None = None


@dataclass
class ImportResult:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    new_fields_of_action: list[str] = field(default_factory=list)
    changed_partner_kinds: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _with(self, action: Action) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.action is action]

    @property
    def created(self) -> list[RowPlan]:
        return self._with(Action.CREATE)

    @property
    def updated(self) -> list[RowPlan]:
        return self._with(Action.UPDATE)

    @property
    def unchanged(self) -> list[RowPlan]:
        return self._with(Action.UNCHANGED)


def import_portfolio(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    user=None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Reads, checks and (unless dry_run or any problem) writes; never raises for bad input."""
    result = ImportResult(dry_run=dry_run)
    try:
        table = tabular.read_table(data, filename, Limits.from_settings())
    except TableError as exc:
        result.problems.append(Problem(None, None, str(exc)))
        return result
    planner = _Planner(table, result, progress or _no_progress)
    planner.plan()
    if result.problems or dry_run:
        return result
    try:
        _apply(
            result, planner, user=user, note=_("Import aus %(file)s") % {"file": filename}, progress=progress
        )
    except (ValidationError, IntegrityError) as exc:
        # Someone changed the portfolio between checking and writing; the transaction rolled back.
        result.problems.append(
            Problem(
                None, None, _("Import abgebrochen, nichts wurde geändert: %(problem)s") % {"problem": exc}
            )
        )
    return result


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


def _suggest_header(header: str) -> str | None:
    """The known header a misspelt or shortened one most likely means ('Budget' -> 'Budget geplant (EUR)')."""
    wanted = normalize_name(header)
    known = list(tabular.COLUMNS_BY_HEADER)
    matches = [name for name in known if wanted in name] or difflib.get_close_matches(wanted, known, n=1)
    return tabular.COLUMNS_BY_HEADER[matches[0]].header if matches else None


def _choices(choices_class, *, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Accepted spellings (code, German label, label in the active language) -> code."""
    accepted = {normalize_name(code): code for code in choices_class.values}
    for code, label in choices_class.choices:
        accepted[normalize_name(str(label))] = code
    with translation.override("de"):
        for code, label in choices_class.choices:
            accepted[normalize_name(str(label))] = code
    accepted.update(extra or {})
    return accepted


def _german_labels(choices_class) -> str:
    with translation.override("de"):
        return ", ".join(str(label) for label in choices_class.labels)


class _NameIndex:
    """Finds model instances by name-like attributes: exact spelling first, then case/space-insensitive."""

    def __init__(self, instances, attributes):
        self.exact: dict[str, list] = {}
        self.loose: dict[str, list] = {}
        for instance in instances:
            for attribute in attributes:
                value = getattr(instance, attribute)
                if value:
                    self.exact.setdefault(value, []).append(instance)
                    self.loose.setdefault(normalize_name(value), []).append(instance)

    def find(self, name: str):
        """The one instance meant by `name`, None if none; raises CellError when several match."""
        for candidates in (self.exact.get(name), self.loose.get(normalize_name(name))):
            unique = list(dict.fromkeys(candidates or []))
            if len(unique) == 1:
                return unique[0]
            if len(unique) > 1:
                raise CellError(
                    _("'%(value)s' ist mehrdeutig: %(candidates)s")
                    % {"value": name, "candidates": ", ".join(str(c) for c in unique)}
                )
        return None


class _Planner:
    """Turns table rows into RowPlans, collecting every problem on the way; reads, never writes."""

    def __init__(self, table: tabular.Table, result: ImportResult, progress: ProgressCallback):
        self.table = table
        self.result = result
        self.progress = progress
        self.today = timezone.localdate()
        self.status_codes = _choices(Status)
        self.priority_codes = _choices(Priority)
        self.partner_kinds = _choices(PartnerKind)
        self.columns: dict[int, tabular.Column] = {}
        self.header_of: dict[str, str] = {}
        # Things the import will create, keyed by normalized name; value: spelling of their first row.
        self.new_fields_of_action: dict[str, str] = {}
        self.partner_kind_claims: dict[str, tuple[str, int]] = {}

    # -- headers -------------------------------------------------------------------------------------

    def _read_headers(self) -> bool:
        problems = self.result.problems
        header_row = self.table.header_row
        seen: dict[str, str] = {}
        for index, header in enumerate(self.table.headers):
            if not header:
                problems.append(
                    Problem(header_row, None, _("Spalte %(n)s hat keine Überschrift") % {"n": index + 1})
                )
                continue
            column = tabular.COLUMNS_BY_HEADER.get(normalize_name(header))
            if column is None:
                message = _("unbekannte Spalte")
                suggestion = _suggest_header(header)
                if suggestion:
                    message += " " + _("(gemeint: '%(header)s'?)") % {"header": suggestion}
                problems.append(Problem(header_row, header, message))
            elif column.key in seen:
                problems.append(Problem(header_row, header, _("Spalte kommt mehrfach vor")))
            else:
                seen[column.key] = header
                self.columns[index] = column
        for column in tabular.COLUMNS:
            if column.header_required and column.key not in seen:
                problems.append(
                    Problem(
                        header_row, None, _("Pflichtspalte '%(header)s' fehlt") % {"header": column.header}
                    )
                )
        self.header_of = seen
        return not problems

    # -- reference data ------------------------------------------------------------------------------

    def _load_references(self) -> None:
        self.departments = _NameIndex(Department.objects.all(), ("name", "short_name", "slug"))
        self.fields_of_action = _NameIndex(FieldOfAction.objects.all(), ("name", "slug"))
        self.partners = _NameIndex(Partner.objects.all(), ("name",))
        self.tags = _NameIndex(Tag.objects.all(), ("name",))
        slug_index = next((i for i, c in self.columns.items() if c.key == "slug"), None)
        file_slugs = set()
        if slug_index is not None:
            file_slugs = {tabular.cell_text(cells[slug_index]) for _n, cells in self.table.rows} - {""}
        self.projects: dict[str, Project] = {}
        file_slug_list = sorted(file_slugs)
        for start in range(0, len(file_slug_list), 500):
            chunk = file_slug_list[start : start + 500]
            queryset = (
                Project.objects.filter(slug__in=chunk)
                .select_related("field_of_action", "department")
                .prefetch_related("partners", "tags", "milestones", "kpis", "links")
            )
            self.projects.update({project.slug: project for project in queryset})
        self.last_history_date = dict(
            ProjectVersion.objects.filter(project__in=list(self.projects.values()))
            .values("project_id")
            .annotate(last=Max("effective_date"))
            .values_list("project_id", "last")
        )
        # Slugs in use or claimed by a row, so a generated slug never collides with either.
        self.taken_slugs = set(Project.objects.values_list("slug", flat=True)) | file_slugs

    # -- rows ----------------------------------------------------------------------------------------

    def plan(self) -> None:
        if not self._read_headers():
            return
        if not self.table.rows:
            self.result.problems.append(Problem(None, None, _("Die Datei enthält keine Projektzeilen")))
            return
        self._load_references()
        first_row_of_slug: dict[str, int] = {}
        total = len(self.table.rows)
        for done, (number, cells) in enumerate(self.table.rows, 1):
            plan = self._plan_row(number, cells, first_row_of_slug)
            if plan is not None:
                self.result.plans.append(plan)
            if done % PROGRESS_EVERY == 0 or done == total:
                self.progress("check", done, total)
        self.result.new_fields_of_action = list(self.new_fields_of_action.values())
        self.result.changed_partner_kinds = sorted(
            name
            for name, (kind, _row) in self.partner_kind_claims.items()
            if (partner := self._find_quietly(self.partners, name)) is not None and partner.kind != kind
        )

    def _problem(self, number: int, key: str | None, message: str) -> None:
        column = self.header_of.get(key, tabular.COLUMNS_BY_KEY[key].header) if key else None
        self.result.problems.append(Problem(number, column, message))

    def _plan_row(self, number: int, cells: list, first_row_of_slug: dict[str, int]) -> RowPlan | None:
        problems_before = len(self.result.problems)
        extra = [cell for cell in cells[len(self.table.headers) :] if not tabular.is_blank(cell)]
        if extra:
            self._problem(number, None, _("Zeile hat Werte rechts der letzten Spalte mit Überschrift"))
        raw = {column.key: cells[index] for index, column in self.columns.items()}
        values: dict[str, Any] = {}
        for key, cell in raw.items():
            try:
                values[key] = self._parse_cell(key, cell, number)
            except CellError as exc:
                self._problem(number, key, str(exc))
        for key in REQUIRED_CELLS:
            if key in raw and tabular.is_blank(raw[key]):
                self._problem(number, key, _("Pflichtangabe fehlt"))

        slug = values.pop("slug", "") or ""
        if slug:
            if slug in first_row_of_slug:
                self._problem(
                    number,
                    "slug",
                    _("Kennung '%(slug)s' kommt mehrfach vor (zuerst in Zeile %(row)s)")
                    % {"slug": slug, "row": first_row_of_slug[slug]},
                )
            first_row_of_slug.setdefault(slug, number)
        if len(self.result.problems) > problems_before:
            return None
        project = self.projects.get(slug) if slug else None
        if project is None:
            return self._plan_new(number, slug, values)
        return self._plan_update(number, project, values)

    def _parse_cell(self, key: str, cell, number: int):
        column = tabular.COLUMNS_BY_KEY[key]
        if column.kind is tabular.Kind.DATE:
            return tabular.parse_date(cell)
        if column.kind is tabular.Kind.AMOUNT:
            return tabular.parse_amount(cell)
        parser = getattr(self, f"_parse_{key}", None)
        if parser is not None:
            return parser(cell, number)
        return tabular.cell_text(cell)

    def _parse_field_of_action(self, cell, number):
        name = tabular.cell_text(cell)
        if not name:
            return None
        found = self.fields_of_action.find(name)
        if found is not None:
            return found
        _check_name_fits(FieldOfAction, name)
        # Unknown fields of action are created (the Digitalisierungsbüro keeps that list and is the only
        # role allowed to import); the summary and dry run name them so a typo is seen before it is written.
        self.new_fields_of_action.setdefault(normalize_name(name), name)
        return _NewFieldOfAction(normalize_name(name))

    def _parse_department(self, cell, number):
        name = tabular.cell_text(cell)
        if not name:
            return None
        found = self.departments.find(name)
        if found is None:
            # Departments carry staff permissions, so an import never invents one.
            raise CellError(_("Fachbereich '%(value)s' ist nicht bekannt") % {"value": name})
        return found

    def _parse_choice(self, cell, accepted: dict[str, str], choices_class, noun: str):
        text = tabular.cell_text(cell)
        if not text:
            return None
        code = accepted.get(normalize_name(text))
        if code is None:
            raise CellError(
                _("'%(value)s' ist %(noun)s (erlaubt: %(labels)s)")
                % {"value": text, "noun": noun, "labels": _german_labels(choices_class)}
            )
        return code

    def _parse_status(self, cell, number):
        return self._parse_choice(cell, self.status_codes, Status, _("kein Status"))

    def _parse_priority(self, cell, number):
        return (
            self._parse_choice(cell, self.priority_codes, Priority, _("keine Priorität")) or Priority.MEDIUM
        )

    def _parse_slug(self, cell, number):
        return tabular.cell_text(cell)

    def _parse_tags(self, cell, number):
        names = list(dict.fromkeys(tabular.split_entries(cell)))
        for name in names:
            _check_name_fits(Tag, name)
        return names

    def _each_entry(self, cell, parse_entry) -> list:
        parsed, messages = [], []
        for position, entry in enumerate(tabular.split_entries(cell), 1):
            try:
                parsed.append(parse_entry(tabular.split_parts(entry)))
            except (CellError, ValidationError) as exc:
                detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                messages.append(
                    _("Eintrag %(n)s ('%(entry)s'): %(problem)s")
                    % {"n": position, "entry": entry, "problem": detail}
                )
        if messages:
            raise CellError(" / ".join(messages))
        return parsed

    def _parse_partners(self, cell, number):
        def parse(parts):
            if len(parts) > 2 or not parts[0]:
                raise CellError(_("erwartet 'Name | Art'"))
            kind = None
            if len(parts) == 2 and parts[1]:
                keyword = tabular.split_keyword(parts[1])
                text = keyword[1] if keyword and keyword[0] == "art" else parts[1]
                kind = self.partner_kinds.get(normalize_name(text))
                if kind is None:
                    raise CellError(
                        _("'%(value)s' ist keine Partnerart (erlaubt: %(labels)s)")
                        % {"value": text, "labels": _german_labels(PartnerKind)}
                    )
            Partner(name=parts[0], kind=kind or PartnerKind.OTHER).clean_fields(exclude=["kind"])
            return PartnerEntry(parts[0], kind)

        entries = self._each_entry(cell, parse)
        for entry in entries:
            self._claim_partner_kind(entry, number)
        return entries

    def _claim_partner_kind(self, entry: PartnerEntry, number: int) -> None:
        if entry.kind is None:
            return
        key = normalize_name(entry.name)
        claimed = self.partner_kind_claims.setdefault(key, (entry.kind, number))
        if claimed[0] != entry.kind:
            raise CellError(
                _("Partner '%(name)s' hat in Zeile %(row)s eine andere Art")
                % {"name": entry.name, "row": claimed[1]}
            )

    def _parse_links(self, cell, number):
        def parse(parts):
            if len(parts) == 1:
                parts = [parts[0][:200], parts[0]]
            if len(parts) != 2 or not parts[0] or not parts[1]:
                raise CellError(_("erwartet 'Titel | https://…'"))
            link = ProjectLink(title=parts[0], url=parts[1])
            link.full_clean(exclude=["project"])
            return link

        return self._each_entry(cell, parse)

    def _keyword_parts(self, parts: list[str], keywords: dict[str, str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for part in parts[1:]:
            keyword = tabular.split_keyword(part) if part else None
            target = keywords.get(keyword[0]) if keyword else None
            if target is None:
                raise CellError(
                    _("unbekannte Angabe '%(part)s' (erwartet: %(keywords)s)")
                    % {"part": part, "keywords": ", ".join(f"{k}:" for k in dict.fromkeys(keywords))}
                )
            if target in found:
                raise CellError(_("'%(keyword)s' steht doppelt") % {"keyword": keyword[0]})
            found[target] = keyword[1]
        return found

    def _parse_milestones(self, cell, number):
        def parse(parts):
            if not parts[0]:
                raise CellError(_("Titel fehlt"))
            found = self._keyword_parts(parts, MILESTONE_KEYWORDS)
            milestone = Milestone(
                title=parts[0],
                due=tabular.parse_date(found.get("due")),
                done_on=tabular.parse_date(found.get("done_on")),
            )
            milestone.full_clean(exclude=["project"])
            return milestone

        return self._each_entry(cell, parse)

    def _parse_kpis(self, cell, number):
        def parse(parts):
            if not parts[0]:
                raise CellError(_("Name fehlt"))
            found = self._keyword_parts(parts, KPI_KEYWORDS)
            kpi = KPI(
                name=parts[0],
                unit=found.get("unit", ""),
                target=tabular.parse_number(found.get("target")),
                current=tabular.parse_number(found.get("current")),
                as_of=tabular.parse_date(found.get("as_of")),
            )
            kpi.full_clean(exclude=["project"])
            return kpi

        return self._each_entry(cell, parse)

    # -- plans ---------------------------------------------------------------------------------------

    def _validate_project(self, number: int, project: Project, exclude: list[str]) -> bool:
        try:
            # Slug uniqueness is already known (taken_slugs, duplicate check); skipping the per-row
            # unique query keeps a 10,000-row file fast.
            project.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                key = field_name if field_name in tabular.COLUMNS_BY_KEY else None
                for message in messages:
                    self._problem(number, key, message)
            return False
        return True

    def _fields_for_validation(self, values: dict) -> tuple[dict, list[str]]:
        fields = {k: v for k, v in values.items() if k in SCALAR_FIELDS}
        exclude = []
        # A field of action this import will create does not exist yet; it is valid by construction.
        if isinstance(fields.get("field_of_action"), _NewFieldOfAction):
            fields.pop("field_of_action")
            exclude.append("field_of_action")
        return fields, exclude

    def _plan_new(self, number: int, slug: str, values: dict) -> RowPlan | None:
        fields, exclude = self._fields_for_validation(values)
        if not slug:
            slug = self._generate_slug(values.get("title", ""))
        candidate = Project(slug=slug, **fields)
        if not self._validate_project(number, candidate, exclude):
            return None
        return RowPlan(
            row=number,
            slug=slug,
            title=values.get("title", ""),
            action=Action.CREATE,
            scalar_changes={k: v for k, v in values.items() if k in SCALAR_FIELDS},
            effective_date=values.get("status_since") or self.today,
            partners=values.get("partners"),
            tags=values.get("tags"),
            milestones=values.get("milestones"),
            kpis=values.get("kpis"),
            links=values.get("links"),
        )

    def _generate_slug(self, title: str) -> str:
        base = services.slug_base(title)
        slug, n = base, 2
        while slug in self.taken_slugs:
            slug, n = f"{base}-{n}", n + 1
        self.taken_slugs.add(slug)
        return slug

    def _plan_update(self, number: int, project: Project, values: dict) -> RowPlan | None:
        changes = {
            key: value
            for key, value in values.items()
            if key in SCALAR_FIELDS and not _same_value(key, getattr(project, key), value)
        }
        fields, exclude = self._fields_for_validation(changes)
        candidate = copy.copy(project)
        for key, value in fields.items():
            setattr(candidate, key, value)
        # Only what the file changes is validated: stored values were valid when saved.
        unchanged = [f.name for f in Project._meta.fields if f.name not in fields]
        if fields and not self._validate_project(number, candidate, exclude + unchanged):
            return None

        effective_date = self.today
        if "status" in changes:
            effective_date = values.get("status_since") or self.today
            last = self.last_history_date.get(project.pk)
            if last and effective_date < last:
                self._problem(
                    number,
                    "status_since" if "status_since" in values else "status",
                    _("Statusänderung zum %(date)s liegt vor dem letzten Eintrag der Historie (%(last)s)")
                    % {"date": tabular.format_date(effective_date), "last": tabular.format_date(last)},
                )
                return None

        lists = {
            "partners": self._partners_changed(project, values.get("partners")),
            "tags": self._tags_changed(project, values.get("tags")),
            "milestones": _milestones_changed(project, values.get("milestones")),
            "kpis": _kpis_changed(project, values.get("kpis")),
            "links": _links_changed(project, values.get("links")),
        }
        changed = bool(changes) or any(lists.values())
        return RowPlan(
            row=number,
            slug=project.slug,
            title=changes.get("title", project.title),
            action=Action.UPDATE if changed else Action.UNCHANGED,
            project=project,
            scalar_changes=changes,
            effective_date=effective_date,
            **{key: values[key] for key, differs in lists.items() if differs},
        )

    def _find_quietly(self, index: _NameIndex, name: str):
        try:
            return index.find(name)
        except CellError:
            return None

    def _partners_changed(self, project: Project, entries: list[PartnerEntry] | None) -> bool:
        if entries is None:
            return False
        wanted = [self._find_quietly(self.partners, entry.name) for entry in entries]
        if any(partner is None for partner in wanted):
            return True
        return {p.pk for p in wanted} != {p.pk for p in project.partners.all()}

    def _tags_changed(self, project: Project, names: list[str] | None) -> bool:
        if names is None:
            return False
        wanted = [self._find_quietly(self.tags, name) for name in names]
        if any(tag is None for tag in wanted):
            return True
        return {t.pk for t in wanted} != {t.pk for t in project.tags.all()}


def _check_name_fits(model, name: str) -> None:
    """A name the import would store must fit its column (PostgreSQL rejects what SQLite would keep)."""
    limit = model._meta.get_field("name").max_length
    if len(name) > limit:
        raise CellError(
            _("'%(value)s…' ist zu lang (höchstens %(limit)s Zeichen)") % {"value": name[:30], "limit": limit}
        )


@dataclass(frozen=True)
class _NewFieldOfAction:
    """Placeholder for a field of action the import will create."""

    key: str


def _same_value(key: str, current, new) -> bool:
    if key in TEXT_FIELDS:
        # Browsers send textarea line breaks as CRLF, XLSX keeps only LF: the same text either way.
        return (current or "").replace("\r\n", "\n") == (new or "")
    if key in ("field_of_action", "department"):
        return not isinstance(new, _NewFieldOfAction) and new is not None and current.pk == new.pk
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        return current == new if current is not None and new is not None else current is new
    return current == new


def _milestone_key(m: Milestone):
    return (m.title, m.due or datetime.date.min, m.done_on or datetime.date.min)


def _milestones_changed(project: Project, new: list[Milestone] | None) -> bool:
    # Milestones are shown by due date, so only the set matters, not the order in the cell.
    if new is None:
        return False
    return sorted(map(_milestone_key, project.milestones.all())) != sorted(map(_milestone_key, new))


def _kpis_changed(project: Project, new: list[KPI] | None) -> bool:
    if new is None:
        return False

    def key(k: KPI):
        return (k.name, k.unit, k.target, k.current, k.as_of)

    return [key(k) for k in project.kpis.all()] != [key(k) for k in new]


def _links_changed(project: Project, new: list[ProjectLink] | None) -> bool:
    if new is None:
        return False
    return [(link.title, link.url) for link in project.links.all()] != [
        (link.title, link.url) for link in new
    ]


# --- writing -------------------------------------------------------------------------------------------


@transaction.atomic
def _apply(result: ImportResult, planner: _Planner, *, user, note: str, progress) -> None:
    fields_of_action = _create_fields_of_action(planner)
    partners = _ensure_partners(result.plans, planner)
    tags = _ensure_tags(result.plans, planner)
    to_write = [plan for plan in result.plans if plan.action is not Action.UNCHANGED]
    for done, plan in enumerate(to_write, 1):
        _apply_row(plan, fields_of_action, partners, tags, user=user, note=note)
        if progress and (done % PROGRESS_EVERY == 0 or done == len(to_write)):
            progress("write", done, len(to_write))


def _create_fields_of_action(planner: _Planner) -> dict[str, FieldOfAction]:
    created = {}
    position = (FieldOfAction.objects.aggregate(Max("position"))["position__max"] or 0) + 1
    taken = set(FieldOfAction.objects.values_list("slug", flat=True))
    for key, name in planner.new_fields_of_action.items():
        base = german_slugify(name)[:70] or "handlungsfeld"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        created[key] = FieldOfAction.objects.create(name=name, slug=slug, position=position)
        position += 1
    return created


def _ensure_partners(plans: list[RowPlan], planner: _Planner) -> dict[str, Partner]:
    """Every partner named in the file, by normalized name; new ones created, changed kinds saved."""
    by_name: dict[str, Partner] = {}
    for plan in plans:
        for entry in plan.partners or []:
            key = normalize_name(entry.name)
            if key in by_name:
                continue
            partner = planner._find_quietly(planner.partners, entry.name)
            claimed_kind = planner.partner_kind_claims.get(key, (None, 0))[0]
            if partner is None:
                partner = Partner.objects.create(name=entry.name, kind=claimed_kind or PartnerKind.OTHER)
            elif claimed_kind and partner.kind != claimed_kind:
                partner.kind = claimed_kind
                partner.save(update_fields=["kind"])
            by_name[key] = partner
    return by_name


def _ensure_tags(plans: list[RowPlan], planner: _Planner) -> dict[str, Tag]:
    by_name: dict[str, Tag] = {}
    for plan in plans:
        for name in plan.tags or []:
            key = normalize_name(name)
            if key not in by_name:
                by_name[key] = planner._find_quietly(planner.tags, name) or Tag.objects.create(name=name)
    return by_name


def _apply_row(plan: RowPlan, fields_of_action, partners, tags, *, user, note: str) -> None:
    fields = dict(plan.scalar_changes)
    if isinstance(fields.get("field_of_action"), _NewFieldOfAction):
        fields["field_of_action"] = fields_of_action[fields["field_of_action"].key]
    partner_objects = [partners[normalize_name(e.name)] for e in plan.partners or []]
    tag_objects = [tags[normalize_name(name)] for name in plan.tags or []]

    if plan.action is Action.CREATE:
        fields.setdefault("priority", Priority.MEDIUM)
        project = services.create_project(
            slug=plan.slug,
            effective_date=plan.effective_date,
            user=user,
            partners=partner_objects,
            tags=tag_objects,
            **fields,
        )
    else:
        project = plan.project
        if fields:
            services.update_project(
                project, effective_date=plan.effective_date, user=user, note=note, **fields
            )
        else:
            project.save(update_fields=["updated_at"])
        if plan.partners is not None:
            project.partners.set(partner_objects)
        if plan.tags is not None:
            project.tags.set(tag_objects)

    for items, manager in (
        (plan.milestones, project.milestones),
        (plan.kpis, project.kpis),
        (plan.links, project.links),
    ):
        if items is None:
            continue
        manager.all().delete()
        for item in items:
            item.pk = None
            item.project = project
        manager.model.objects.bulk_create(items)
