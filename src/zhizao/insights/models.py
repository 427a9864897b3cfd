"""Summary tables of the dashboards (refreshed by a periodic task) and the monthly report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.validators import validate_site_link
from zhizao.registry.models import Region

from .enums import ActivitySource, ReportState


class Fact(models.Model):
    """One figure for one month and one cell of region × industry division × size, for all
    organisations (``group`` = "") or for the members of one cluster or chain
    (``cluster:<code>`` / ``chain:<code>``). ``key`` splits a figure (a level, a policy, a
    title). Rebuilt by ``refresh_facts``; never written elsewhere."""

    figure = models.CharField(max_length=60)
    key = models.CharField(max_length=60, blank=True, default="")
    month = models.DateField()
    province_code = models.CharField(max_length=6)
    city_code = models.CharField(max_length=6)
    region_code = models.CharField(max_length=6)
    industry_division = models.CharField(max_length=2, blank=True, default="")
    size = models.CharField(max_length=10, blank=True, default="")
    group = models.CharField(max_length=90, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        indexes = [
            # The dashboard reads every figure of one scope at once (the rows summed over
            # industry and size, "*", unless one of those filters is set); a figure's split by
            # region (the map) reads one figure.
            models.Index(
                fields=["group", "industry_division", "size", "province_code", "month"],
                name="insights_fact_prov",
            ),
            models.Index(
                fields=["group", "industry_division", "size", "city_code", "month"],
                name="insights_fact_city",
            ),
            models.Index(
                fields=["group", "industry_division", "size", "region_code", "month"],
                name="insights_fact_region",
            ),
            models.Index(fields=["group", "figure", "month"], name="insights_fact_figure"),
        ]

    def __str__(self) -> str:
        return f"{self.figure}[{self.key}] {self.month:%Y-%m} {self.region_code} = {self.value}"


class Refresh(models.Model):
    """One rebuild of the summary tables: when, how long, how many rows; a full rebuild or
    an incremental one (only the months marked dirty since the last refresh)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    incremental = models.BooleanField(default=False)
    months = models.JSONField(default=list, blank=True)  # the months rebuilt when incremental

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.rows} rows)"


class DirtyMonth(models.Model):
    """A month whose figures a write changed since the last refresh (``dirty.mark_months``);
    ``month`` None: every month. Removed by the refresh that rebuilt it."""

    month = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.month or '*'}"


class SourceWatermark(models.Model):
    """The highest primary key of one source model (``app_label.model``) the last refresh
    saw: rows above it were added since (also by ``bulk_create``, which sends no signal)."""

    source = models.CharField(max_length=100, unique=True)
    last_pk = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source} ≤ {self.last_pk}"


class MonthlyReport(models.Model):
    """The alliance's monthly progress report (进展情况月报) for one month and scope (all
    regions when ``scope`` is empty). A published report keeps its figures in ``figures``,
    taken at ``as_of``; later changes to the records do not change it."""

    month = models.DateField(_("month"))
    scope = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    section_texts = models.JSONField(default=dict, blank=True)
    plan = models.TextField(_("next month's plan"), blank=True)
    figures = models.JSONField(default=dict, blank=True)
    as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(scope__isnull=True), name="insights_report_all"
            ),
            models.UniqueConstraint(fields=["month", "scope"], name="insights_report_scope"),
        ]

    def __str__(self) -> str:
        return self.title


class ReportActivity(models.Model):
    """An activity in one of the report's sections: taken from the records when the draft was
    made, or added by hand."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="activities")
    section = models.CharField(_("section"), max_length=20)
    date = models.DateField(_("date"))
    title = models.CharField(pgettext_lazy("document", "title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    source = models.CharField(max_length=12, choices=ActivitySource.choices)
    provider = models.CharField(max_length=60, blank=True)
    link = models.CharField(max_length=300, blank=True, validators=[validate_site_link])

    class Meta:
        ordering = ["section", "date", "title", "id"]

    def __str__(self) -> str:
        return self.title


def news_photo_path(instance, filename: str) -> str:
    return f"insights/news/{instance.report_id}/{filename}"


class ReportNewsItem(models.Model):
    """A news item of 重点推进情况, with an optional photo."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="news")
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=news_photo_path, blank=True, max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PublicFigure(models.Model):
    """A figure an operator chose to show on the public summary page."""

    figure = models.CharField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["figure"]

    def __str__(self) -> str:
        return self.figure


class Jurisdiction(models.Model):
    """The region a government unit answers for (a provincial department its province, a city
    bureau its city). Without one, an officer's scope is the region of his unit's own
    address — the narrowest safe reading."""

    organization = models.OneToOneField(
        "registry.Organization", on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.region_id}"
