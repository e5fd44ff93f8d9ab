"""Likely duplicates: open reports near a report, close in time, of the same (or a related) category, with
similar text. Each candidate gets a score from 0 to 1 and the reasons staff see in triage.

The look-up reads only reports in a small box around the point (index report_map_idx: visibility, is_open,
lat, lon, created_at), so it stays fast at a million reports (bench/assist.py). Text similarity is the
cosine of hashed character n-grams of the two descriptions; no model is needed.
"""

import datetime
import math
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import DateTimeField
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from sklearn.feature_extraction.text import HashingVectorizer

from stadtdigital.core.db import Unindexed
from stadtdigital.reports.demo.streets import M_PER_DEG_LAT, M_PER_DEG_LON
from stadtdigital.reports.models import Report, Visibility

MAX_DISTANCE_M = 200
MAX_DAYS = 45
MAX_CANDIDATES = 5
WEIGHTS = {"distance": 0.35, "time": 0.15, "category": 0.25, "text": 0.25}
FIELDS = ("pk", "lat", "lon", "created_at", "category_id", "category__group_id", "description", "address")

_vectorizer = HashingVectorizer(
    analyzer="char_wb", ngram_range=(3, 4), n_features=2**18, alternate_sign=False, norm="l2"
)


@dataclass
class Candidate:
    report_id: int
    score: float
    distance_m: float
    days: float
    same_category: bool
    text_similarity: float
    reasons: list[str] = field(default_factory=list)
    report: Report | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def distance_m(lat1, lon1, lat2, lon2) -> float:
    return math.hypot((lat1 - lat2) * M_PER_DEG_LAT, (lon1 - lon2) * M_PER_DEG_LON)


def text_similarities(text: str, others: list[str]) -> np.ndarray:
    if not others:
        return np.zeros(0)
    matrix = _vectorizer.transform([text or "", *others])
    return np.asarray((matrix[1:] @ matrix[0].T).todense()).ravel()


def _reasons(
    distance: float, days: float, same_category: bool, related: bool, similarity: float
) -> list[str]:
    reasons = [_("%(m)d m entfernt") % {"m": round(distance)}]
    whole_days = round(days)
    reasons.append(
        ngettext("%(d)d Tag auseinander", "%(d)d Tage auseinander", whole_days) % {"d": whole_days}
        if whole_days
        else _("am selben Tag")
    )
    if same_category:
        reasons.append(_("gleiche Kategorie"))
    elif related:
        reasons.append(_("verwandte Kategorie"))
    reasons.append(_("Textähnlichkeit %(p)d %%") % {"p": round(similarity * 100)})
    return reasons


def _box(lat: float, lon: float) -> dict:
    dlat, dlon = MAX_DISTANCE_M / M_PER_DEG_LAT, MAX_DISTANCE_M / M_PER_DEG_LON
    return {"lat__gte": lat - dlat, "lat__lte": lat + dlat, "lon__gte": lon - dlon, "lon__lte": lon + dlon}


def score_rows(subject: dict, rows: list[dict], min_score: float) -> list[Candidate]:
    # Distance, time and category first: only rows that could still reach min_score with identical text
    # are compared by text (vectorising is the expensive part).
    scored = []
    for row in rows:
        distance = distance_m(subject["lat"], subject["lon"], row["lat"], row["lon"])
        days = abs((subject["created_at"] - row["created_at"]).total_seconds()) / 86400
        same = row["category_id"] == subject["category_id"]
        related = row["category__group_id"] == subject["category__group_id"]
        partial = (
            WEIGHTS["distance"] * max(0.0, 1 - distance / MAX_DISTANCE_M)
            + WEIGHTS["time"] * max(0.0, 1 - days / MAX_DAYS)
            + WEIGHTS["category"] * (1.0 if same else 0.4 if related else 0.0)
        )
        if partial + WEIGHTS["text"] >= min_score:
            scored.append((row, distance, days, same, related, partial))
    similarities = text_similarities(subject["description"], [item[0]["description"] for item in scored])
    candidates = []
    for (row, distance, days, same, related, partial), similarity in zip(scored, similarities, strict=True):
        score = partial + WEIGHTS["text"] * float(similarity)
        if score >= min_score:
            candidates.append(
                Candidate(
                    row["pk"],
                    round(score, 3),
                    distance,
                    days,
                    same,
                    float(similarity),
                    _reasons(distance, days, same, related, float(similarity)),
                )
            )
    candidates.sort(key=lambda c: -c.score)
    return candidates


def _subject(report: Report) -> dict:
    return {
        "pk": report.pk,
        "lat": report.lat,
        "lon": report.lon,
        "created_at": report.created_at,
        "category_id": report.category_id,
        "category__group_id": report.category.group_id,
        "description": report.description,
    }


def open_reports_around(report: Report):
    """The open public reports within MAX_DISTANCE_M (as a box) and MAX_DAYS of `report`, as FIELDS dicts."""
    window = datetime.timedelta(days=MAX_DAYS)
    return (
        # The period's bounds on an unindexed copy of created_at: given them, SQLite walked the period
        # index (visibility, created_at) through 45 days of reports, 190 ms at a million reports; kept off
        # it, it reads the box from report_map_idx (visibility, is_open, lat, lon, created_at), under 1 ms.
        Report.objects.alias(filed_at=Unindexed("created_at", output_field=DateTimeField()))
        .filter(
            visibility=Visibility.PUBLIC,
            is_open__in=[True],  # an index equality for SQLite (`is_open=True` is a bare column test)
            filed_at__gte=report.created_at - window,
            filed_at__lte=report.created_at + window,
            **_box(report.lat, report.lon),
        )
        .exclude(pk=report.pk)
        .order_by()  # scored and sorted below
        .values(*FIELDS)[:500]
    )


def likely_duplicates(report: Report, *, limit: int = MAX_CANDIDATES, min_score: float | None = None):
    """Open public reports that are probably the same problem as `report`, best first."""
    min_score = settings.ASSIST_DUPLICATE_MIN_SCORE if min_score is None else min_score
    rows = list(open_reports_around(report))
    candidates = score_rows(_subject(report), rows, min_score)[:limit]
    reports = Report.objects.select_related("category").in_bulk([c.report_id for c in candidates])
    for candidate in candidates:
        candidate.report = reports.get(candidate.report_id)
    return candidates


def candidates_as_of(subject: dict, *, min_score: float) -> list[Candidate]:
    """For the evaluation: reports filed up to MAX_DAYS before `subject` (then open), scored."""
    rows = list(
        Report.objects.filter(
            created_at__lt=subject["created_at"],
            created_at__gte=subject["created_at"] - datetime.timedelta(days=MAX_DAYS),
            **_box(subject["lat"], subject["lon"]),
        )
        .exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .values(*FIELDS)[:500]
    )
    return score_rows(subject, rows, min_score)


def evaluate_duplicates(since: datetime.datetime | None = None, min_score: float | None = None) -> dict:
    """Precision and recall of the duplicate detection against the reports staff merged as duplicates
    (in the demo: the planted duplicates). Each report filed since `since` is checked as if it were new."""
    min_score = settings.ASSIST_DUPLICATE_MIN_SCORE if min_score is None else min_score
    reports = Report.objects.exclude(visibility=Visibility.PENDING_CONFIRMATION)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    root = dict(Report.objects.filter(duplicate_of__isnull=False).values_list("pk", "duplicate_of"))
    flagged = true_flagged = 0
    duplicates = found = 0
    for subject in reports.values(*FIELDS).order_by("created_at").iterator(chunk_size=2000):
        candidates = candidates_as_of(subject, min_score=min_score)
        pk = subject["pk"]
        flagged += len(candidates)
        matched = {
            c.report_id
            for c in candidates
            if root.get(pk) == c.report_id
            or root.get(c.report_id) == pk
            or (root.get(pk) is not None and root.get(pk) == root.get(c.report_id))
        }
        true_flagged += len(matched)
        if pk in root:
            duplicates += 1
            found += root[pk] in matched
    return {
        "min_score": min_score,
        "pairs_flagged": flagged,
        "pairs_correct": true_flagged,
        "precision": true_flagged / flagged if flagged else None,
        "duplicates": duplicates,
        "duplicates_found": found,
        "recall": found / duplicates if duplicates else None,
    }
