"""One way to page a list: every list page shows all its rows, a page at a time, with the
total (``components/pagination.html``); none cuts its query off at a fixed number."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paginate(request, rows, size: int = PAGE_SIZE, *, param: str = "page") -> Page:
    """The requested page (``?page=N``; out of range or not a number gives the nearest page).
    A second list on the same page reads its own ``param`` (and its pagination is included
    ``with page_param=…``)."""
    return Paginator(rows, size).get_page(request.GET.get(param))
