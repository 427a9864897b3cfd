"""Publication into catalogues (名录): the final list of a call becomes a public catalogue,
each entry linked to its organisation in the registry; a call that grants a title gives it
to each listed organisation (policies.Recognition), so the policy engine and 免申即享 scans
see it at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.common.audit import Actor
from zhizao.policies.models import Recognition
from zhizao.policies.services.records import add_recognition
from zhizao_core.text.normalize import normalize_search_text

from ..enums import ApplicationState, CallState, PublicityState
from ..errors import CallError
from ..models import Application, Call, Catalogue, CatalogueEntry, Publicity
from .applications import lock, move
from .base import audit, text
from .publicity import _office

A = ApplicationState
UNFINISHED = (A.SUBMITTED, A.NOMINATED, A.RETURNED, A.IN_REVIEW, A.PROPOSED)


def publish_catalogue(
    actor: Actor,
    call: Call,
    *,
    title: str = "",
    reference: str = "",
    today: dt.date | None = None,
) -> Catalogue:
    """After the 公示 closed: listed applications are selected, the others not; the catalogue
    is published and the call's title (if any) granted."""
    today = today or timezone.localdate()
    reference = text(reference, field="reference", label=_("Document number"), max_length=120)
    with transaction.atomic():
        locked_call = (
            Call.objects.select_for_update(of=("self",)).select_related("host").get(pk=call.pk)
        )
        _office(actor, locked_call)
        if locked_call.state == CallState.PUBLISHED:
            raise CallError("published", _("The call is already published."))
        publicity = Publicity.objects.filter(call=locked_call).first()
        if publicity is None or publicity.state != PublicityState.CLOSED:
            raise CallError("publicity_not_closed", _("Close the public notice before publishing."))
        unfinished = Application.objects.filter(call=locked_call, state__in=UNFINISHED)
        if unfinished.exists():
            raise CallError(
                "unfinished",
                _("%(n)d applications are still in progress (e.g. “%(title)s”).")
                % {"n": unfinished.count(), "title": unfinished.first().title},
            )
        catalogue = Catalogue.objects.create(
            call=locked_call,
            title=text(title, field="title", label=pgettext("heading", "Title"), max_length=200)
            or f"{locked_call.title}名单",
            kind=locked_call.kind,
            year=locked_call.year,
            publisher=locked_call.host,
            reference=reference,
            published_on=today,
            created_by=actor.user if actor.user_id else None,
        )
        entries = list(
            publicity.entries.select_related("application__applicant", "category").order_by(
                "rank", "application_id"
            )
        )
        for entry in entries:
            application = lock(entry.application_id)
            move(actor, application, A.SELECTED)
            CatalogueEntry.objects.create(
                catalogue=catalogue,
                application=application,
                organization=application.applicant,
                title=application.title,
                category=entry.category.name if entry.category else "",
                rank=entry.rank,
                search_text=normalize_search_text(application.title, application.applicant.name),
            )
            if (
                locked_call.recognition_title
                and not Recognition.objects.filter(
                    organization=application.applicant,
                    title=locked_call.recognition_title,
                    level=locked_call.recognition_level,
                ).exists()
            ):
                add_recognition(
                    actor,
                    application.applicant,
                    title=locked_call.recognition_title,
                    level=locked_call.recognition_level,
                    since=today,
                    reference=reference or catalogue.title,
                )
        for application in Application.objects.filter(
            call=locked_call, state=A.FORMAL_PASSED
        ).order_by("id"):
            move(actor, lock(application), A.NOT_SELECTED)
        before = locked_call.state
        locked_call.state = CallState.PUBLISHED
        locked_call.save(update_fields=["state", "updated_at"])
        audit(actor, "call_state", locked_call, changes={"state": [before, CallState.PUBLISHED]})
        audit(
            actor,
            "catalogue_published",
            catalogue,
            context={"entries": len(entries), "call": locked_call.pk},
        )
    return catalogue
