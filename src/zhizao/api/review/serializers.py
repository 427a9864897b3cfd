"""Request and response bodies of the expert review API. What the values must satisfy is
checked by the services, which answer with a stable code and the field."""

from __future__ import annotations

from rest_framework import serializers

from zhizao.calls.blind import summary_for_expert
from zhizao.review.enums import AggregationMethod, AssignmentMethod, BidInterest

from ..common import IsoDateTimeField, QueryInt, TextInput


class PageQuery(serializers.Serializer):
    page = QueryInt(min_value=1, max_value=100000)


class ExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField(source="membership.organization.name")
    title = serializers.CharField()
    years_experience = serializers.IntegerField()
    divisions = serializers.ListField(child=serializers.CharField())
    domains = serializers.ListField(child=serializers.CharField())
    attributes = serializers.ListField(child=serializers.CharField())
    max_load = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()


class PastOrganisationSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organization.name")
    uscc = serializers.CharField(source="organization.uscc")
    until = serializers.DateField()


class RelationSerializer(serializers.Serializer):
    person = serializers.CharField()
    kind = serializers.CharField()
    note = serializers.CharField()


class ExpertDetailSerializer(ExpertSerializer):
    keywords = serializers.CharField()
    person_id = serializers.CharField()
    past_organisations = PastOrganisationSerializer(many=True)
    relations = RelationSerializer(many=True)


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call = serializers.IntegerField(source="call_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    reviewers_per_application = serializers.IntegerField()
    visibility = serializers.CharField()
    deadline = IsoDateTimeField()
    state = serializers.CharField()
    method = serializers.CharField()
    seed = serializers.IntegerField(allow_null=True)
    cap = serializers.CharField(allow_null=True)
    pool = serializers.ListField(child=serializers.IntegerField())
    summary = serializers.JSONField()


class AssignInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=AssignmentMethod.values)
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**62)
    cap = serializers.DecimalField(
        required=False, allow_null=True, max_digits=5, decimal_places=4, min_value=0, max_value=1
    )


class OfficeAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    expert = serializers.IntegerField(source="expert_id")
    expert_name = serializers.CharField(source="expert.name")
    state = serializers.CharField()
    source = serializers.CharField()
    affinity = serializers.CharField()
    review_state = serializers.SerializerMethodField()

    def get_review_state(self, obj) -> str | None:
        review = getattr(obj, "review", None)
        return review.state if review else None


class ExclusionSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    expert = serializers.IntegerField(source="expert_id")
    expert_name = serializers.CharField(source="expert.name")
    rule = serializers.CharField()
    reason = serializers.CharField()


class MyAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.CharField(source="round.name")
    deadline = IsoDateTimeField(source="round.deadline")
    application = serializers.IntegerField(source="application_id")
    title = serializers.SerializerMethodField()

    def get_title(self, obj) -> str:
        return obj.application.display_title(obj.round.call.blind_review)


class ReviewSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="assignment_id")
    state = serializers.CharField()
    scores = serializers.DictField(child=serializers.CharField())
    comments = serializers.DictField(child=serializers.CharField())
    comment = serializers.CharField()
    total = serializers.CharField(allow_null=True)
    submitted_at = IsoDateTimeField(allow_null=True)


class ExpertReviewInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(max_length=20, allow_blank=True), required=False
    )
    comments = serializers.DictField(
        child=serializers.CharField(max_length=4000, allow_blank=True), required=False
    )
    comment = TextInput(max_length=4000)
    submit = serializers.BooleanField(required=False, default=False)


class RankingInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=AggregationMethod.values, default="mean")
    trim = serializers.IntegerField(required=False, default=1, min_value=0, max_value=5)
    divergence = serializers.DecimalField(
        required=False, default="20", max_digits=7, decimal_places=2, min_value=0
    )
    cutoff = serializers.DecimalField(
        required=False, allow_null=True, max_digits=7, decimal_places=2, min_value=0
    )


class RankingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    method = serializers.CharField()
    trim = serializers.IntegerField()
    divergence = serializers.CharField()
    cutoff = serializers.CharField(allow_null=True)
    results = serializers.JSONField()
    outliers = serializers.JSONField()
    proposal = serializers.JSONField()
    created_at = IsoDateTimeField()
    handed_over_at = IsoDateTimeField(allow_null=True)


class MyAvailabilitySerializer(serializers.Serializer):
    """The calling expert's declaration for one round still being prepared (not declared:
    counted as available, with the pool's load)."""

    round = serializers.IntegerField(source="round.pk")
    round_name = serializers.CharField(source="round.name")
    call = serializers.CharField(source="round.call.title")
    deadline = IsoDateTimeField(source="round.deadline")
    declared = serializers.BooleanField()
    available = serializers.BooleanField()
    max_load = serializers.IntegerField(allow_null=True)
    bidding = serializers.BooleanField(source="round.call.allow_bidding")


class AvailabilityInputSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    max_load = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=200)


class MyBidSerializer(serializers.Serializer):
    """One application the calling expert may bid on (blind to the applicant where the call
    says so) and its bid (null: none yet)."""

    application = serializers.IntegerField(source="pk")
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    interest = serializers.SerializerMethodField()

    def get_title(self, obj) -> str:
        return obj.display_title(self.context["blind"])

    def get_summary(self, obj) -> str:
        return summary_for_expert(obj, self.context["blind"])

    def get_interest(self, obj) -> str | None:
        return self.context["bids"].get(obj.pk)


class BidInputSerializer(serializers.Serializer):
    interest = serializers.ChoiceField(choices=BidInterest.values)
