"""Every change of a report is recorded as an Event; this is the one place that writes them."""

from django.utils import timezone

from stadtdigital.reports.models import Event, Report


def record_event(
    report: Report,
    kind: str,
    *,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    public_text: str = "",
    internal_note: str = "",
    is_public: bool | None = None,
    data: dict | None = None,
    at=None,
) -> Event:
    """Appends an event; public when it carries a public text or a state change, unless told otherwise."""
    if is_public is None:
        is_public = bool(public_text) or bool(to_state and to_state != from_state)
    return Event.objects.create(
        report=report,
        created_at=at or timezone.now(),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        is_public=is_public,
        public_text=public_text,
        internal_note=internal_note,
        data=data or {},
    )
