"""Parsing of the events pages' input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.widgets import IsoDateInput
from zhizao.matchmaking.vocabulary import category_choices
from zhizao.policies.forms import RegionChoiceField

from .enums import LinkAccess, Outcome, ParticipantKind


class EventForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("listing", "Title"), max_length=200)
    host_units = forms.CharField(label=_("Host units"), max_length=500, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=IsoDateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=IsoDateInput)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    online_url = forms.CharField(label=_("Online address"), max_length=200, required=False)
    session_link_access = forms.ChoiceField(
        label=_("Sessions' online links"),
        choices=LinkAccess.choices,
        initial=LinkAccess.PUBLIC,
        required=False,
        help_text=_(
            "Registered participants only: the live and recording links (and the online "
            "address) are shown to approved registrants and organisers; everyone else is asked "
            "to register. Each session may say otherwise in the timetable."
        ),
    )
    meeting_days = forms.CharField(
        label=_("Meeting days"),
        required=False,
        help_text=_("Dates such as 2026-11-26, separated by commas."),
    )
    meeting_day_start = forms.TimeField(label=_("Meetings from"), initial="09:00")
    meeting_day_end = forms.TimeField(label=_("Meetings until"), initial="17:00")
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), initial=20)
    tables = forms.IntegerField(label=_("Tables"), initial=10)
    max_meetings = forms.IntegerField(label=_("Meetings per participant"), required=False)
    needs_acceptance = forms.BooleanField(
        label=_("Requests need acceptance"), required=False, initial=True
    )

    @staticmethod
    def initial_for(event) -> dict:
        """The event's current values, for the edit page."""
        initial = {name: getattr(event, name) for name in EventForm.base_fields}
        initial["meeting_days"] = ", ".join(event.meeting_days)
        initial["meeting_day_start"] = event.meeting_day_start.strftime("%H:%M")
        initial["meeting_day_end"] = event.meeting_day_end.strftime("%H:%M")
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["meeting_days"] = [
            d.strip()
            for d in (data.get("meeting_days") or "").replace("，", ",").split(",")
            if d.strip()
        ]
        if not data.get("session_link_access"):
            data.pop("session_link_access", None)  # not sent: as it is (public when new)
        return data


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Participant type"), choices=ParticipantKind.choices)
    name = forms.CharField(label=_("Name on badge"), max_length=100, required=False)
    invitation_code = forms.CharField(label=_("Invitation code"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    shares_contact = forms.BooleanField(
        label=_("Exhibitors whose booth I visit or who scan my badge may see my phone and e-mail"),
        required=False,
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=40)
    door = forms.CharField(label=_("Door"), max_length=40, required=False)


class MeetingRequestForm(forms.Form):
    recipient = forms.IntegerField(label=_("Participant"))
    reason = forms.CharField(
        label=_("Reason for the meeting"), widget=forms.Textarea, max_length=1000
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[(1, _("Normal")), (2, _("High")), (3, _("Must meet"))],
        coerce=int,
        initial=1,
    )


class RespondForm(forms.Form):
    accept = forms.BooleanField(required=False)
    reason = forms.CharField(max_length=500, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class LeadForm(forms.Form):
    code = forms.CharField(label=_("Badge code"), max_length=40)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False, max_length=2000)
    rating = forms.IntegerField(label=_("Rating"), min_value=1, max_value=5, initial=3)


class BoothForm(forms.Form):
    introduction = forms.CharField(
        label=pgettext_lazy("booth", "Introduction"), widget=forms.Textarea, required=False
    )
    offerings = forms.MultipleChoiceField(label=_("Offerings"), required=False)
    cases = forms.CharField(label=_("Cases (one per line)"), widget=forms.Textarea, required=False)
    documents = forms.CharField(
        label=_("Documents (links, one per line)"), widget=forms.Textarea, required=False
    )
    videos = forms.CharField(
        label=_("Videos (links, one per line)"), widget=forms.Textarea, required=False
    )
    staff_on_duty = forms.CharField(
        label=_("Staff on duty (one per line)"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, offering_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offerings"].choices = list(offering_choices)


class NeedForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("listing", "Title"), max_length=200)
    description = forms.CharField(label=_("What do you need?"), widget=forms.Textarea)
    category = forms.ChoiceField(label=_("Category"), choices=category_choices)
    # picked by name (江苏省 · 无锡市 · 新吴区), as on the policy and eligibility forms; the
    # service and the API take the code
    region = RegionChoiceField(label=_("region"))

    def clean_region(self) -> str:
        return self.cleaned_data["region"].code


class VisitForm(forms.Form):
    shares_contact = forms.BooleanField(required=False)


class TimetableRowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=pgettext_lazy("listing", "Title"), max_length=200, required=False)
    start = forms.TimeField(label=_("Start"), required=False)
    end = forms.TimeField(label=_("End"), required=False)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    forum = forms.IntegerField(label=_("Forum"), required=False)
    online_url = forms.CharField(label=_("Live link"), max_length=200, required=False)
    recording_url = forms.CharField(label=_("Recording link"), max_length=200, required=False)
    link_access = forms.ChoiceField(
        label=_("Who gets the links"),
        choices=[("", _("As the event")), *LinkAccess.choices],
        required=False,
    )


TimetableFormSet = forms.formset_factory(TimetableRowForm, extra=3)


class RegistrationTypeForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=0)
    needs_approval = forms.BooleanField(label=_("Needs approval"), required=False)
    invitation_code = forms.CharField(label=_("Invitation code"), max_length=40, required=False)
