"""Responses that Django leaves bare, given the platform's page."""

from __future__ import annotations

from .views import method_not_allowed


class ErrorPageMiddleware:
    """A page opened with the wrong method — an address that only takes a form's POST, typed,
    bookmarked or followed from a history entry — gets Django's empty 405, which a browser shows
    as a blank or an English error page. Every such response without a body becomes the
    platform's 405 page (layout, the user's language, a way back), its ``Allow`` header kept.
    Responses with a body (the API's JSON errors) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.htmx:
            page = method_not_allowed(request)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
