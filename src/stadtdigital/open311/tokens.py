"""Open311 `token`s: what a client gets for a report that waits for the reporter's email confirmation.

The token is a signature over the report's id, not the report's confirmation token: whoever holds the
confirmation token can confirm the report, and that must stay with the person who reads the email, not
with the client application that sent the report for them.
"""

from django.core import signing

SALT = "stadtdigital.open311.token"


def token_for(report_id: int) -> str:
    # Not timestamped (unlike signing.dumps): the same report always has the same token.
    return signing.Signer(salt=SALT).sign_object(report_id)


def report_id_from(token: str) -> int | None:
    """The report id the token was made for; None for anything we did not sign."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
