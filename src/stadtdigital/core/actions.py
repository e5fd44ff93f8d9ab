"""One shape for the back office's action views: a POSTed form → a service → a message → a redirect (PRG).

The view keeps what is its own (permission, which form, which service, which texts); `perform` does the
steps every action repeats. A service says "not possible as asked" by raising ValueError (e.g. the reports
workflow's WorkflowError, which names the form field in `field`) or ValidationError; nothing has changed
then, and the user sees why.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

# A success message: a text (shown as "success"), a (level, text) pair, or None for no message.
Message = str | tuple[int, str] | None


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [getattr(error, "message", None) or str(error)]


def add_error(form, error: Exception) -> None:
    """Puts a service's error on `form`: on the field it names (`error.field`) if the form has that field,
    otherwise on the form as a whole."""
    field = getattr(error, "field", None)
    for message in error_messages(error):
        form.add_error(field if field in form.fields else None, message)


def perform(
    request,
    service: Callable[..., Any],
    *,
    then: str | HttpResponse | Callable[[Any], str | HttpResponse],
    form=None,
    invalid: Callable[[Any], HttpResponse] | None = None,
    success: Message | Callable[[Any], Message] = None,
) -> HttpResponse:
    """Runs one action and answers it.

    - `form` (bound) given: when it is invalid, or `service(form.cleaned_data)` raises ValueError or
      ValidationError, the error goes onto the form and the answer is `invalid(form)` (the page again).
    - no form: `service()`; its error becomes an error message and the answer is `then` (nothing changed).
    - it worked: `success` (or `success(result)`) becomes the message, and the answer is a redirect to
      `then` (a URL or URL name, or a response; or `then(result)` giving one of these).
    """
    if form is not None and not form.is_valid():
        return invalid(form)
    try:
        result = service(form.cleaned_data) if form is not None else service()
    except (ValueError, ValidationError) as error:
        if form is not None and invalid is not None:
            add_error(form, error)
            return invalid(form)
        for message in error_messages(error):
            messages.error(request, message)
        return _answer(then, None)
    message = success(result) if callable(success) else success
    if message:
        level, text = message if isinstance(message, tuple) else (messages.SUCCESS, message)
        messages.add_message(request, level, text)
    return _answer(then, result)


def _answer(then, result) -> HttpResponse:
    target = then(result) if callable(then) else then
    return target if isinstance(target, HttpResponse) else redirect(target)


def form_page(
    request,
    form,
    page: Callable[[Any], HttpResponse],
    *,
    success: Message | Callable[[Any], Message],
    then: str | HttpResponse | Callable[[Any], str | HttpResponse],
    save: Callable[[dict], Any] | None = None,
) -> HttpResponse:
    """A create/edit page: GET shows `page(form)`; POST saves (`save(cleaned_data)`, default `form.save()`)
    through `perform`, showing `page(form)` again with the errors when it cannot."""
    if request.method != "POST":
        return page(form)
    return perform(
        request, save or (lambda data: form.save()), form=form, invalid=page, success=success, then=then
    )
