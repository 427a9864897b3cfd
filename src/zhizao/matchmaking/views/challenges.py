"""Open challenges (揭榜挂帅): operators create, open, review and announce; providers and banks
apply; the public pages need no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.middleware import membership_optional
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page

from .. import access, codes, lists, services
from ..eligibility import check_eligibility
from ..enums import ApplicationState, ChallengeState
from ..errors import MatchError
from ..forms import AnnounceForm, ApplicationForm, ChallengeForm, ReviewForm


def _rules(challenge) -> list[str]:
    rules = challenge.eligibility or {}
    out = []
    if rules.get("region_prefix"):
        out.append(
            _("Located in %(region)s")
            % {"region": codes.region_name(rules["region_prefix"].ljust(6, "0"))}
        )
    for cert in rules.get("certifications", []):
        out.append(_("Certification %(cert)s or higher") % {"cert": cert})
    if rules.get("min_cases"):
        out.append(_("At least %(n)s cases in published offerings") % {"n": rules["min_cases"]})
    return out


@login_required
@list_page(lists.CHALLENGES)
def challenge_list(request):
    membership = request.membership
    qs = access.challenges_for(membership).annotate(n_applications=Count("applications"))
    listing = lists.CHALLENGES.run(request, qs)
    if listing.response:
        return listing.response
    return render(
        request,
        "matchmaking/challenge_list.html",
        {
            **listing.context(),
            "challenges": listing.page_obj.object_list,
            "can_create": roles.is_operator(membership),
        },
    )


@login_required
def challenge_new(request):
    membership = request.membership
    if not roles.is_operator(membership):
        raise Http404
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.create_challenge(
                actor_for_request(request), **form.service_values()
            )
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Challenge saved."))
            return redirect("matchmaking:challenge_detail", pk=challenge.pk)
    return render(
        request,
        "matchmaking/challenge_form.html",
        {"form": form, "challenge": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def challenge_edit(request, pk):
    membership = request.membership
    challenge = access.access_challenge(membership, pk, write=True)
    form = ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_challenge(
                actor_for_request(request), challenge, **form.service_values()
            )
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Challenge saved."))
            return redirect("matchmaking:challenge_detail", pk=challenge.pk)
    return render(
        request,
        "matchmaking/challenge_form.html",
        {"form": form, "challenge": challenge},
        status=400 if form.is_bound else 200,
    )


@login_required
def challenge_detail(request, pk, *, forms=None, status=200):
    membership = request.membership
    challenge = access.access_challenge(membership, pk)
    forms = forms or {}
    eligibility = None
    mine = None
    if roles.is_supplier(membership):
        eligibility = check_eligibility(challenge.eligibility, membership.organization)
        mine = challenge.applications.filter(provider_id=membership.organization_id).first()
    return render(
        request,
        "matchmaking/challenge_detail.html",
        {
            "challenge": challenge,
            "rules": _rules(challenge),
            "applications": access.applications_for(membership, challenge).order_by(
                "-score", "submitted_at", "id"
            ),
            "is_operator": roles.is_operator(membership),
            "eligibility": eligibility,
            "mine": mine,
            "can_apply": roles.is_supplier(membership)
            and challenge.state == ChallengeState.OPEN
            and mine is None,
            "apply_form": forms.get("apply") or ApplicationForm(),
            "review_form": ReviewForm(),
            "announce_form": forms.get("announce") or AnnounceForm(),
            "category_name": challenge.get_category_display(),
        },
        status=status,
    )


@login_required
@require_POST
def challenge_state(request, pk):
    membership = request.membership
    challenge = access.access_challenge(membership, pk, write=True)
    form = AnnounceForm(request.POST)
    state = request.POST.get("state")
    try:
        services.set_challenge_state(
            actor_for_request(request),
            challenge,
            state,
            announcement=request.POST.get("announcement", ""),
        )
    except MatchError as error:
        if state == ChallengeState.ANNOUNCED:
            form.is_valid()
            form.apply_error(error)
            return challenge_detail(request, pk, forms={"announce": form}, status=400)
        messages.error(request, error.message)
    else:
        messages.success(request, _("Challenge updated."))
    return redirect("matchmaking:challenge_detail", pk=challenge.pk)


@login_required
@require_POST
def challenge_apply(request, pk):
    membership = request.membership
    challenge = access.access_challenge(membership, pk)
    if not roles.is_supplier(membership):
        raise Http404
    form = ApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.apply_to_challenge(
                actor_for_request(request),
                challenge,
                membership.organization,
                proposal=form.cleaned_data["proposal"],
                file=form.cleaned_data.get("file"),
            )
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Application submitted."))
            return redirect("matchmaking:challenge_detail", pk=challenge.pk)
    return challenge_detail(request, pk, forms={"apply": form}, status=400)


@login_required
@require_POST
def application_review(request, pk):
    application = access.access_application(request.membership, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_application(
                actor_for_request(request),
                application,
                form.cleaned_data["state"],
                note=form.cleaned_data.get("note", ""),
                score=form.cleaned_data.get("score"),
            )
        except MatchError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Application updated."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("matchmaking:challenge_detail", pk=application.challenge_id)


@login_required
def application_file(request, pk):
    application = access.access_application_file(request.membership, pk)
    return FileResponse(
        application.file.open("rb"), as_attachment=True, filename=application.file_name or "file"
    )


@membership_optional
@list_page(lists.CHALLENGES)
def challenge_public_list(request):
    """The public list (no login): open, under review and announced challenges."""
    listing = lists.CHALLENGES.run(request, access.public_challenges())
    if listing.response:
        return listing.response
    return render(
        request,
        "matchmaking/challenge_public_list.html",
        {**listing.context(), "challenges": listing.page_obj.object_list},
    )


@membership_optional
def challenge_public(request, pk):
    """The public page of a challenge (no login); once announced, the awarded applicants."""
    challenge = access.access_public_challenge(pk)
    awarded = []
    if challenge.state == ChallengeState.ANNOUNCED:
        awarded = list(
            challenge.applications.filter(state=ApplicationState.AWARDED)
            .select_related("provider")
            .order_by("-score", "id")
        )
    return render(
        request,
        "matchmaking/challenge_public.html",
        {"challenge": challenge, "rules": _rules(challenge), "awarded": awarded},
    )
