"""One way to page a list: every list page shows all its rows, a page at a time, with the
total (``components/pagination.html``); none cuts its query off at a fixed number."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paginate(request, rows, size: int = PAGE_SIZE) -> Page:
    """The requested page (``?page=N``; out of range or not a number gives the nearest page)."""
    return Paginator(rows, size).get_page(request.GET.get("page"))
