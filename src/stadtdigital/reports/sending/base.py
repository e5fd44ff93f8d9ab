"""The interface every send method implements: `send(report, target) -> SendResult`, or `SendError`."""

from dataclasses import dataclass, field


@dataclass
class SendResult:
    external_id: str = ""  # the target's id for the report (Open311 service_request_id), if it gave one
    token: str = ""  # Open311 token, to resolve to an id later
    note: str = ""  # a short German note for the report's internal history
    data: dict = field(default_factory=dict)


class SendError(Exception):
    """The target did not take the report. The message is the target's own error (shown to staff).

    `permanent` errors (a wrong key, a refused service code) are not retried automatically."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message[:2000]
        self.permanent = permanent
