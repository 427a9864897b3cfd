"""The one shape of the classroom's write views: the object is fetched (permission checked by
``access``), the service is called with the acting user, the outcome becomes a message and the
browser is redirected — or, for a form, a refusal is shown on the form again (400)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse

from zhizao.accounts.selectors import actor_for_request

from ..errors import ClassroomError


def form_write(
    request,
    form,
    write: Callable,
    *,
    success: str,
    done: Callable[[object], HttpResponse],
    again: Callable[[object], HttpResponse],
    error_field: str | None = None,
) -> HttpResponse:
    """``write(actor, cleaned_data)`` for a valid ``form``; then ``success`` and ``done(result)``.
    An invalid form or a ``ClassroomError`` gives ``again(form)`` with the error on the field it
    names (or ``error_field``, or the whole form)."""
    if not form.is_valid():
        return again(form)
    try:
        result = write(actor_for_request(request), form.cleaned_data)
    except ClassroomError as error:
        field = error_field or (error.field if error.field in form.fields else None)
        form.add_error(field, error.message)
        return again(form)
    messages.success(request, success)
    return done(result)


def message_write(
    request,
    write: Callable,
    *,
    success: str,
    done: HttpResponse,
    form=None,
    invalid: str = "",
) -> HttpResponse:
    """``write(actor, cleaned_data)`` (``None`` without a form); the outcome — ``success``, the
    refusal's message, or ``invalid`` for an invalid form — as a message; then ``done``."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid)
        return done
    try:
        write(actor_for_request(request), form.cleaned_data if form is not None else None)
    except ClassroomError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return done
