"""Request and response bodies of the matchmaking API. Inputs are typed here; what the values
must satisfy (known codes, amounts, transitions) is checked by the services, which answer
with a stable code and the field."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhizao.matchmaking import access, stats
from zhizao.matchmaking.enums import (
    FUNNEL,
    ApplicationState,
    ChallengeState,
    DemandState,
    IntroductionState,
    OfferingKind,
    OfferingState,
    Side,
)
from zhizao.matchmaking.presentation import lang

from ..common import (
    AmountInput,
    IdField,
    IsoDateTimeField,
    MoneyField,
    OptionalDateField,
    QueryInt,
    RefSerializer,
    TextInput,
)


def _codes(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=100,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _requirements(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.JSONField(),
        max_length=100,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


# --- queries --------------------------------------------------------------------------------


class TopQuery(serializers.Serializer):
    top = QueryInt(min_value=1, max_value=50, default=10, help_text="How many (1–50)")


class OfferingQuery(serializers.Serializer):
    mine = serializers.BooleanField(required=False, help_text="1: the caller's own only")
    state = serializers.ChoiceField(choices=OfferingState.choices, required=False)


class DemandQuery(serializers.Serializer):
    category = serializers.CharField(required=False, max_length=40)


class IntroductionQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=IntroductionState.choices, required=False)


class FunnelQuery(serializers.Serializer):
    by = serializers.ChoiceField(choices=sorted(stats.GROUPINGS), required=False)


# --- inputs ---------------------------------------------------------------------------------


class OfferingInputSerializer(serializers.Serializer):
    kind = TextInput(help_text=" | ".join(OfferingKind.values))
    title = TextInput(max_length=200)
    description = TextInput(max_length=5000)
    categories = _codes("Category codes")
    industries = _codes("GB/T 4754 codes")
    regions = _codes("GB/T 2260 codes")
    certifications = _codes("Certifications (CMMI3, ISO 9001, …)")
    price_min_yuan = AmountInput()
    price_max_yuan = AmountInput()


class OfferingPatchSerializer(OfferingInputSerializer):
    state = serializers.ChoiceField(choices=OfferingState.choices, required=False)


class CaseInputSerializer(serializers.Serializer):
    title = TextInput(max_length=200)
    customer_industry = TextInput(max_length=4, help_text="GB/T 4754 code")
    region = TextInput(max_length=6, help_text="GB/T 2260 code")
    result = TextInput(max_length=2000)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=9999)


class DemandInputSerializer(serializers.Serializer):
    title = TextInput(max_length=200)
    description = TextInput(max_length=5000)
    category = TextInput(max_length=40)
    industry = TextInput(max_length=4, help_text="GB/T 4754 code")
    region = TextInput(max_length=6, help_text="GB/T 2260 code")
    budget_band = TextInput(max_length=20)
    timeline = TextInput(max_length=20)
    needed_by = OptionalDateField()
    must = _requirements('Requirements: "CMMI3及以上" or {kind, value, min_level}')
    nice = _requirements("Nice to have, as must")
    contact = IdField(allow_null=True, help_text="A contact person of the enterprise")


class DemandPatchSerializer(DemandInputSerializer):
    state = serializers.ChoiceField(choices=DemandState.choices, required=False)


class IntroductionInputSerializer(serializers.Serializer):
    demand = IdField()
    offering = IdField()
    message = TextInput(max_length=2000)
    share_contact = IdField(allow_null=True, help_text="A contact person of ours to share")


class IntroductionActionSerializer(serializers.Serializer):
    message = TextInput(max_length=2000)
    reason = TextInput(max_length=2000)
    note = TextInput(max_length=2000)
    value_yuan = AmountInput(help_text="deal: the contract value")
    evidence = serializers.FileField(required=False, help_text="deal: the evidence file")
    share_contact = IdField(allow_null=True)


class ConsentInputSerializer(serializers.Serializer):
    contact = IdField(help_text="A contact person of ours")


class ChallengeInputSerializer(serializers.Serializer):
    title = TextInput(max_length=200)
    description = TextInput(max_length=10000)
    category = TextInput(max_length=40)
    eligibility = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        allow_null=True,
        help_text="{region_prefix, certifications, min_cases}",
    )
    budget_yuan = AmountInput()
    deadline = OptionalDateField()


class ChallengeStateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ChallengeState.choices)
    announcement = TextInput(max_length=10000)


class ApplicationInputSerializer(serializers.Serializer):
    proposal = TextInput(max_length=10000)
    file = serializers.FileField(required=False)


class ReviewInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ApplicationState.choices)
    note = TextInput(max_length=2000)
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=100, required=False, allow_null=True
    )


# --- outputs --------------------------------------------------------------------------------


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()


class OfferingCaseSerializer(CaseSerializer):
    industry = serializers.CharField(source="customer_industry")
    region = serializers.CharField()
    result = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)


class OfferingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    provider = RefSerializer()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    industries = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    certifications = serializers.ListField(child=serializers.CharField())
    price_min_yuan = MoneyField(allow_null=True)
    price_max_yuan = MoneyField(allow_null=True)
    state = serializers.CharField()
    updated_at = IsoDateTimeField(allow_null=True)


class OfferingDetailSerializer(OfferingSerializer):
    cases = serializers.SerializerMethodField()

    @extend_schema_field(OfferingCaseSerializer(many=True))
    def get_cases(self, offering):
        cases = offering.cases.order_by("-year", "id") if offering.pk else []
        return OfferingCaseSerializer(cases, many=True).data


class DemandSummarySerializer(serializers.Serializer):
    """What anyone who may see a demand sees: never the contact person."""

    id = serializers.IntegerField(source="pk")
    enterprise = RefSerializer()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    industry = serializers.CharField()
    region = serializers.CharField()
    budget_band = serializers.CharField()
    budget_min_yuan = MoneyField(allow_null=True)
    budget_max_yuan = MoneyField(allow_null=True)
    timeline = serializers.CharField()
    needed_by = serializers.DateField(allow_null=True)
    must = serializers.ListField(child=serializers.JSONField())
    nice = serializers.ListField(child=serializers.JSONField())
    state = serializers.CharField()
    updated_at = IsoDateTimeField(allow_null=True)


class SharedContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    title = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class DemandSerializer(DemandSummarySerializer):
    """With the contact person for the enterprise itself and staff (``contact`` is absent for
    everyone else)."""

    contact = SharedContactSerializer(allow_null=True, required=False)

    def to_representation(self, demand):
        data = super().to_representation(demand)
        if not access.can_see_demand_contact(self.context["membership"], demand):
            data.pop("contact", None)
        return data


class MatchSerializer(serializers.Serializer):
    score = serializers.SerializerMethodField()
    #: the 0–100 fit people are shown (``score`` orders, and is negative when a must is missed)
    fit = serializers.IntegerField()
    meets_all = serializers.BooleanField()
    reasons = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    highlights = serializers.ListField(child=serializers.JSONField())

    def get_score(self, match) -> float:
        return round(match.score, 4)

    def get_reasons(self, match) -> list[str]:
        return [r.text(lang()) for r in match.reasons]

    def get_missing(self, match) -> list[str]:
        return [c.requirement.label for c in match.checks if not c.met]


class OfferingMatchSerializer(MatchSerializer):
    """A ranked offering, from (match, offering)."""

    offering = serializers.IntegerField()
    summary = OfferingSerializer()

    def to_representation(self, pair):
        match, offering = pair
        return {
            "offering": int(match.id),
            **MatchSerializer(match).data,
            "summary": OfferingSerializer(offering).data,
        }


class DemandMatchSerializer(MatchSerializer):
    """A ranked demand, from (match, demand)."""

    demand = serializers.IntegerField()
    summary = DemandSummarySerializer()

    def to_representation(self, pair):
        match, demand = pair
        return {
            "demand": int(match.id),
            **MatchSerializer(match).data,
            "summary": DemandSummarySerializer(demand).data,
        }


class DemandMatchesSerializer(serializers.Serializer):
    results = OfferingMatchSerializer(many=True)


class OfferingDemandsSerializer(serializers.Serializer):
    results = DemandMatchSerializer(many=True)


class IntroductionDemandSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    enterprise = serializers.CharField(source="enterprise.name")


class IntroductionOfferingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    provider = serializers.CharField(source="provider.name")


class IntroductionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    demand = IntroductionDemandSerializer()
    offering = IntroductionOfferingSerializer()
    requested_by = serializers.SerializerMethodField()
    message = serializers.CharField()
    state = serializers.CharField()
    requested_at = IsoDateTimeField(allow_null=True)
    expires_at = IsoDateTimeField(allow_null=True)
    accepted_at = IsoDateTimeField(allow_null=True)
    met_at = IsoDateTimeField(allow_null=True)
    deal_at = IsoDateTimeField(allow_null=True)
    deal_value_yuan = MoneyField(allow_null=True)
    closed_reason = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    reasons = serializers.JSONField()
    side = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField(
        help_text="The other side's people: after acceptance, with consent only"
    )

    def get_requested_by(self, i) -> str | None:
        return i.requested_by or None

    def get_side(self, i) -> str | None:
        return access.side_of(self.context["membership"], i)

    @extend_schema_field(SharedContactSerializer(many=True))
    def get_contacts(self, i):
        side = access.side_of(self.context["membership"], i)
        if not side:
            return []
        other = Side.PROVIDER if side == Side.ENTERPRISE else Side.ENTERPRISE
        return SharedContactSerializer(access.shared_contacts(i, of_side=other), many=True).data


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    contact = serializers.IntegerField(source="contact_id")
    purpose = serializers.CharField()
    granted_at = IsoDateTimeField(allow_null=True)


class ChallengeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    eligibility = serializers.DictField(child=serializers.JSONField())
    budget_yuan = MoneyField(allow_null=True)
    deadline = serializers.DateField()
    state = serializers.CharField()
    announcement = serializers.SerializerMethodField()

    def get_announcement(self, c) -> str:
        return c.announcement if c.state == ChallengeState.ANNOUNCED else ""


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    provider = RefSerializer()
    proposal = serializers.CharField()
    file = serializers.SerializerMethodField()
    state = serializers.CharField()
    score = MoneyField(allow_null=True)
    review_note = serializers.CharField()
    submitted_at = IsoDateTimeField(allow_null=True)

    def get_file(self, a) -> str | None:
        return a.file_name or None


class ApplicationListSerializer(serializers.Serializer):
    results = ApplicationSerializer(many=True)


class _FunnelRow(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    deal_value_yuan = MoneyField()

    def to_representation(self, row):
        return {
            "key": row.key,
            "label": row.label,
            **dict(zip([str(s) for s in FUNNEL], row.counts, strict=True)),
            "deal_value_yuan": str(row.deal_value_yuan),
        }


# with a count per stage (suggested, requested, accepted, met, deal)
FunnelRowSerializer = type(
    "FunnelRowSerializer",
    (_FunnelRow,),
    {str(stage): serializers.IntegerField() for stage in FUNNEL},
)


class FunnelSerializer(serializers.Serializer):
    total = FunnelRowSerializer()
    by = serializers.CharField(required=False)
    rows = FunnelRowSerializer(many=True, required=False)
