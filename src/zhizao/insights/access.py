"""Who sees which figures and reports. Every read of the insights app goes through here.

- Operators see every region.
- An officer sees the jurisdiction of his bureau (``Jurisdiction``: a provincial department
  its province, a city bureau its city; without one, the region of the bureau's address) — in pages, exports, the
  API and reports alike; a region outside it answers 404.
- Nobody else sees dashboards or reports (an enterprise sees no dashboard of others).
- Only operators draft, edit and publish the monthly report; officers read published reports
  of their own region.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from zhizao.accounts.roles import is_officer, is_operator
from zhizao.registry.models import Region

from .enums import ReportState
from .models import Jurisdiction, MonthlyReport

PREFIX_WIDTH = {"province": 2, "city": 4, "district": 6}
COLUMN = {"province": "province_code", "city": "city_code", "district": "region_code"}


@dataclass(frozen=True)
class Scope:
    """A region and everything inside it; ``code`` "" is every region."""

    code: str = ""
    level: str = ""
    name: str = ""

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_WIDTH[self.level]] if self.code else ""

    def contains(self, code: str) -> bool:
        return not self.code or (bool(code) and code.startswith(self.prefix))

    def filter_kwargs(self) -> dict[str, str]:
        """Fact-table lookups for the scope."""
        return {COLUMN[self.level]: self.code} if self.code else {}


EVERYWHERE = Scope()


def scope_of_region(region: Region | None) -> Scope:
    if region is None:
        return EVERYWHERE
    return Scope(code=region.code, level=region.level, name=region.name)


def scope_for(membership) -> Scope | None:
    """The regions whose figures the membership may read; None: no dashboards at all.
    Kept on the membership object, which lives for one request (a page asks three times)."""
    if membership is None:
        return None
    if "_insights_scope" not in membership.__dict__:
        membership.__dict__["_insights_scope"] = _scope_for(membership)
    return membership.__dict__["_insights_scope"]


def _scope_for(membership) -> Scope | None:
    if is_operator(membership):
        return EVERYWHERE
    if is_officer(membership):
        jurisdiction = (
            Jurisdiction.objects.select_related("region")
            .filter(organization_id=membership.organization_id)
            .first()
        )
        if jurisdiction is not None:
            return scope_of_region(jurisdiction.region)
        return scope_of_region(membership.organization.region)
    return None


def can_view_dashboards(membership) -> bool:
    return is_operator(membership) or is_officer(membership)


def can_edit_reports(membership) -> bool:
    return is_operator(membership)


def can_manage_public_figures(membership) -> bool:
    return is_operator(membership)


def can_manage_jurisdictions(membership) -> bool:
    """Only operators say which region a government unit answers for."""
    return is_operator(membership)


def access_scope(membership) -> Scope:
    scope = scope_for(membership)
    if scope is None:
        raise Http404
    return scope


def access_region(membership, code: str) -> Scope:
    """The scope narrowed to ``code``; 404 when it lies outside the membership's scope."""
    scope = access_scope(membership)
    if not code:
        return scope
    region = Region.objects.filter(code=code).first()
    if region is None or not scope.contains(region.code):
        raise Http404
    if scope.code and PREFIX_WIDTH[region.level] < PREFIX_WIDTH[scope.level]:
        raise Http404
    return scope_of_region(region)


def reports_for(membership):
    qs = MonthlyReport.objects.select_related("scope")
    if is_operator(membership):
        return qs
    scope = scope_for(membership)
    if scope is None:
        return qs.none()
    published = qs.filter(state=ReportState.PUBLISHED)
    if not scope.code:
        return published
    return published.filter(scope__code__startswith=scope.prefix)


def access_report(membership, pk, *, write: bool = False) -> MonthlyReport:
    report = reports_for(membership).filter(pk=pk).first()
    if report is None or (write and not can_edit_reports(membership)):
        raise Http404
    return report
