"""An exhibitor's pages: fill the booth from its offerings, scan leads, its analytics, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.matchmaking.enums import OfferingState
from zhizao.matchmaking.models import Offering

from .. import access, lists, selectors, services
from ..errors import EventError
from ..forms import BoothForm, LeadForm
from .common import table_response


@login_required
def booth_edit(request, pk):
    booth = access.access_booth(request.membership, pk, write=True)
    choices = [
        (str(o.pk), o.title)
        for o in Offering.objects.filter(
            provider_id=booth.exhibitor_id, state=OfferingState.PUBLISHED
        ).order_by("title")
    ]
    initial = {
        "introduction": booth.introduction,
        "offerings": [str(pk) for pk in booth.offerings.values_list("pk", flat=True)],
        "cases": "\n".join(booth.cases),
        "documents": "\n".join(booth.documents),
        "videos": "\n".join(booth.videos),
        "staff_on_duty": "\n".join(booth.staff_on_duty),
    }
    form = BoothForm(request.POST or None, initial=initial, offering_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fill_booth(
                actor_for_request(request),
                booth,
                offerings=[int(v) for v in data["offerings"]],
                introduction=data["introduction"],
                cases=data["cases"],
                documents=data["documents"],
                videos=data["videos"],
                staff_on_duty=data["staff_on_duty"],
            )
        except EventError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Booth saved."))
            return redirect("events:booth_edit", pk=booth.pk)
    return render(
        request,
        "events/booth_edit.html",
        {"booth": booth, "event": booth.event, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@list_page(lists.LEADS)
def leads(request, pk):
    booth = access.access_booth(request.membership, pk)
    if not access.can_see_leads(request.membership, booth):
        raise Http404
    form = LeadForm(request.POST or None)
    if request.method == "POST":
        if not access.can_edit_booth(request.membership, booth):
            raise Http404
        if form.is_valid():
            try:
                data = form.cleaned_data
                lead = services.collect_lead(
                    actor_for_request(request),
                    booth,
                    badge_code=data["code"],
                    note=data["note"],
                    rating=data["rating"],
                )
            except EventError as error:
                form.add_error("code" if error.field == "code" else None, error.message)
            else:
                messages.success(
                    request, _("Lead saved: %(name)s") % {"name": lead.registration.name}
                )
                return redirect("events:leads", pk=booth.pk)
    listing = lists.LEADS.run(request, access.leads_with_contact_for(request.membership, booth))
    if listing.response:
        return listing.response
    return render(
        request,
        "events/leads.html",
        {
            **listing.context(),
            "booth": booth,
            "event": booth.event,
            "form": form,
            "leads": listing.page_obj.object_list,
            "can_scan": access.can_edit_booth(request.membership, booth),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def booth_analytics(request, pk):
    booth = access.access_booth(request.membership, pk)
    if not access.can_see_leads(request.membership, booth):
        raise Http404
    return render(
        request,
        "events/booth_analytics.html",
        {
            "booth": booth,
            "event": booth.event,
            "tables": [
                *selectors.exhibitor_analytics(booth),
                services.visitors_table(actor_for_request(request), booth),
            ],
        },
    )


@login_required
def booth_export(request, pk, key, fmt):
    booth = access.access_booth(request.membership, pk)
    try:
        table = services.export_booth_table(actor_for_request(request), booth, key=key, fmt=fmt)
    except EventError:
        raise Http404 from None
    return table_response(table, fmt, prefix=f"booth-{booth.code}")
