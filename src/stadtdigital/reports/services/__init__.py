"""Writes of the reports app, one module per concern:

- intake: `submit_report(...)`, the one code path for every new report (web form, Open311 API, import,
  staff): validation, routing, rate limit, photos queued, duplicate hint, confirmation and notifications.
- photos: decoding, EXIF/GPS/XMP stripping, orientation, resizing (a background task).
- confirmation: email confirmation links, subscriptions, support ("betrifft mich auch").
- workflow: state changes, answers, re-routing, duplicates, forwarding, reopening, citizen feedback.
- _transitions: the steps every back-office write shares (permission, lock, save the changed fields, one
  event) and the errors they raise.
- moderation: editing out personal data, hiding photos and reports (originals kept for staff).
- privacy: purging reporters' personal data, export and deletion for one email address.
- alerts: area alerts by email.
"""
