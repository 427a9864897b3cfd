"""Forms of the review pages: parsing only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.widgets import IsoDateInput, IsoDateTimeInput
from zhizao.matchmaking.vocabulary import category_choices
from zhizao_core.text.amounts import plain_number

from .enums import (
    AggregationMethod,
    AssignmentMethod,
    BidInterest,
    ExpertAttribute,
    ExpertTitle,
    PanelOutcome,
    RelationKind,
    RoundKind,
    Visibility,
)


class ServiceForm(forms.Form):
    def apply_error(self, error) -> None:
        field = error.field
        self.add_error(field if field in self.fields else None, error.message)


class ExpertForm(ServiceForm):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    person_id = forms.CharField(label=_("Person id"), max_length=40, required=False)
    title = forms.ChoiceField(label=_("Professional title"), required=False)
    years_experience = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=70)
    divisions = forms.CharField(
        label=_("Industry divisions (GB/T 4754)"),
        required=False,
        help_text=_("Two-digit division codes separated by commas, e.g. 34, 39."),
    )
    domains = forms.MultipleChoiceField(
        label=_("Technical domains"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attributes = forms.MultipleChoiceField(
        label=_("Attributes"),
        required=False,
        choices=ExpertAttribute.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(
        label=_("Research and practice keywords"), required=False, widget=forms.Textarea
    )
    max_load = forms.IntegerField(
        label=_("Most applications per round"), required=False, min_value=1, max_value=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [("", "—"), *ExpertTitle.choices]
        self.fields["domains"].choices = category_choices()

    @classmethod
    def initial_for(cls, expert) -> dict:
        return {
            "name": expert.name,
            "person_id": expert.person_id,
            "title": expert.title,
            "years_experience": expert.years_experience,
            "divisions": ", ".join(expert.divisions),
            "domains": expert.domains,
            "attributes": expert.attributes,
            "keywords": expert.keywords,
            "max_load": expert.max_load,
        }


class NewExpertForm(ExpertForm):
    membership = forms.ChoiceField(label=_("Expert account"))

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (str(m.pk), f"{m.user} · {m.organization.name}") for m in memberships
        ]


class PastOrganisationForm(ServiceForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    until = forms.DateField(label=_("Until"), widget=IsoDateInput())


class RelationForm(ServiceForm):
    person = forms.CharField(label=_("Person (id or name)"), max_length=100)
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RoundForm(ServiceForm):
    call = forms.ChoiceField(label=_("Call"))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=pgettext_lazy("round kind", "Kind"), choices=RoundKind.choices)
    reviewers_per_application = forms.IntegerField(
        label=_("Experts per application"), min_value=1, max_value=15, initial=3
    )
    visibility = forms.ChoiceField(
        label=_("Other experts' reviews visible"), choices=Visibility.choices
    )
    deadline = forms.DateTimeField(label=_("Deadline"), widget=IsoDateTimeInput())
    economic_expert = forms.BooleanField(
        label=_("At least one economic expert per application"), required=False
    )

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [(str(c.pk), c.title) for c in calls]


class AssignForm(ServiceForm):
    method = forms.ChoiceField(
        label=_("Method"), choices=AssignmentMethod.choices, widget=forms.RadioSelect
    )
    seed = forms.IntegerField(
        label=_("Seed (random draw)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for a fresh seed; it is stored so anyone can replay the draw."),
    )
    cap = forms.DecimalField(
        label=_("Largest chance of any pair (random draw)"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        initial="0.5",
    )


class ManualForm(ServiceForm):
    application = forms.IntegerField(label=_("Application"), widget=forms.Select)
    expert = forms.IntegerField(label=_("Expert"), widget=forms.Select)

    def __init__(self, *args, applications=(), experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].widget.choices = [(a.pk, a.title) for a in applications]
        self.fields["expert"].widget.choices = [(e.pk, e.name) for e in experts]


class ReasonForm(ServiceForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RankingForm(ServiceForm):
    method = forms.ChoiceField(label=_("Method"), choices=AggregationMethod.choices)
    trim = forms.IntegerField(
        label=_("Trim (highest and lowest)"), min_value=0, max_value=5, initial=1
    )
    divergence = forms.DecimalField(
        label=_("Divergence threshold"), min_value=0, decimal_places=2, initial="20"
    )
    cutoff = forms.DecimalField(
        label=_("Cut-off score"), required=False, min_value=0, decimal_places=2
    )


class PanelDecisionForm(ServiceForm):
    application = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=pgettext_lazy("panel decision", "Outcome"), choices=PanelOutcome.choices
    )
    votes_for = forms.IntegerField(label=pgettext_lazy("vote", "For"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), required=False, min_value=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0)
    consensus_score = forms.DecimalField(
        label=_("Consensus score"), required=False, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AppraisalForm(ServiceForm):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    timeliness = forms.IntegerField(label=_("Timeliness (1–5)"), min_value=1, max_value=5)
    quality = forms.IntegerField(label=_("Quality (1–5)"), min_value=1, max_value=5)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ReviewForm(ServiceForm):
    """One score field (and one comment field) per rubric criterion."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria=(), review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = review.scores if review else {}
        comments = review.comments if review else {}
        for c in self.criteria:
            self.fields[f"score_{c.code}"] = forms.DecimalField(
                label=c.name,
                required=False,
                min_value=0,
                max_value=c.max_score,
                decimal_places=2,
                initial=scores.get(c.code),
                help_text=_("0 to %(max)s; weight %(weight)s")
                % {"max": plain_number(c.max_score), "weight": plain_number(c.weight)},
            )
            self.fields[f"comment_{c.code}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": c.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comments.get(c.code, ""),
            )
        if review:
            self.fields["comment"].initial = review.comment

    def rows(self):
        return [(c, self[f"score_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                c.code: data.get(f"score_{c.code}")
                for c in self.criteria
                if data.get(f"score_{c.code}") is not None
            },
            "comments": {c.code: data.get(f"comment_{c.code}", "") for c in self.criteria},
            "comment": data.get("comment", ""),
        }


class AvailabilityForm(ServiceForm):
    expert = forms.IntegerField(label=_("Expert"), widget=forms.Select)
    available = forms.BooleanField(label=_("Available in this round"), required=False)
    max_load = forms.IntegerField(
        label=_("Most applications"), required=False, min_value=1, max_value=200
    )

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].widget.choices = [(e.pk, e.name) for e in experts]


class MyAvailabilityForm(ServiceForm):
    """An expert's own declaration for one round."""

    available = forms.BooleanField(label=_("Available in this round"), required=False)
    max_load = forms.IntegerField(
        label=_("Most applications"), required=False, min_value=1, max_value=200
    )


class BidForm(ServiceForm):
    application = forms.IntegerField(widget=forms.HiddenInput)
    interest = forms.ChoiceField(label=_("My interest"), choices=BidInterest.choices)


class ExpertImportForm(ServiceForm):
    file = forms.FileField(
        label=_("Expert file (xlsx or csv)"),
        help_text=_(
            "Columns: 登录名 (required), 姓名, 人员编号, 行业大类, 技术领域, 关键词, 职称, "
            "从业年限, 每轮最多评审数. At most 2,000 rows."
        ),
    )
