"""Request and response bodies of the policies API. Inputs are typed here; what the values
must satisfy (dates in order, amounts with at most two places, transitions) is checked by
the services, which answer with a stable code and the field."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhizao.policies.enums import PolicyLevel, PolicyState, ProjectKind, ProjectStatus
from zhizao.registry.models import Organization, Region

from ..common import (
    AmountInput,
    IdField,
    IsoDateTimeField,
    MoneyField,
    OptionalDateField,
    RefSerializer,
    TextInput,
)

# --- inputs ---------------------------------------------------------------------------------


def _region(code):
    if code in (None, ""):
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise serializers.ValidationError(_("Unknown region code."), code="unknown_region")
    return region


class PolicyInputSerializer(serializers.Serializer):
    title = TextInput(max_length=300)
    doc_number = TextInput(max_length=100)
    issuing_unit = TextInput(max_length=200)
    level = TextInput(help_text="national | provincial | city | district")
    region = TextInput(allow_null=True, help_text="GB/T 2260 code")
    valid_from = OptionalDateField()
    valid_to = OptionalDateField()
    window_start = OptionalDateField()
    window_end = OptionalDateField()
    budget_yuan = AmountInput()
    first_come = serializers.BooleanField(required=False)
    summary = TextInput()

    def validate_region(self, value):
        return _region(value)


class PolicyPatchSerializer(PolicyInputSerializer):
    state = serializers.ChoiceField(choices=PolicyState.choices, required=False)


class ProjectInputSerializer(serializers.Serializer):
    name = TextInput(max_length=200)
    kind = TextInput(help_text=" | ".join(ProjectKind.values))
    region = TextInput(allow_null=True, help_text="GB/T 2260 code")
    start_date = OptionalDateField()
    completion_date = OptionalDateField()
    status = TextInput(help_text=" | ".join(ProjectStatus.values))
    equipment_yuan = AmountInput()
    intelligent_equipment_yuan = AmountInput()
    software_yuan = AmountInput()
    services_yuan = AmountInput()
    other_yuan = AmountInput()
    description = TextInput()

    def validate_region(self, value):
        return _region(value)


class LoanInputSerializer(serializers.Serializer):
    lender = IdField(allow_null=True, help_text="Id of a bank in the registry")
    lender_name = TextInput(max_length=200)
    amount_yuan = AmountInput()
    annual_rate = AmountInput(help_text="A fraction: 0.0345 is 3.45 percent")
    start_date = OptionalDateField()
    end_date = OptionalDateField()
    interest_paid_yuan = AmountInput()

    def validate_lender(self, value):
        if value is None:
            return None
        lender = Organization.objects.filter(pk=value, kind="bank").first()
        if lender is None:
            raise serializers.ValidationError(_("No bank with this id."), code="unknown_lender")
        return lender


# --- outputs --------------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(source="attachment_name")
    sha256 = serializers.CharField(source="attachment_sha256")


class PolicySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    doc_number = serializers.CharField()
    issuing_unit = serializers.CharField()
    level = serializers.ChoiceField(choices=PolicyLevel.choices)
    region = serializers.CharField(source="region_id", allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    window_start = serializers.DateField(allow_null=True)
    window_end = serializers.DateField(allow_null=True)
    budget_yuan = MoneyField(allow_null=True)
    first_come = serializers.BooleanField()
    summary = serializers.CharField()
    attachment = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=PolicyState.choices)

    @extend_schema_field(AttachmentSerializer(allow_null=True))
    def get_attachment(self, policy):
        return AttachmentSerializer(policy).data if policy.attachment else None


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    policy = serializers.IntegerField(source="policy_id")
    name = serializers.CharField()
    category = serializers.CharField()
    subject = serializers.CharField()
    proactive = serializers.BooleanField()
    budget_yuan = MoneyField(allow_null=True)
    state = serializers.CharField()


class PolicyDetailSerializer(PolicySerializer):
    """With the items the caller may see (``context["items"]``)."""

    items = serializers.SerializerMethodField()

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, policy):
        return ItemSerializer(self.context["items"], many=True).data


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    state = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    rule = serializers.JSONField(help_text="The rule data (docs/policy-rules.md)")
    test_cases = serializers.JSONField(help_text="Example cases with expected outcomes")
    note = serializers.CharField()
    published_at = IsoDateTimeField(allow_null=True)


class ItemVersionSerializer(VersionSerializer):
    item = serializers.CharField(source="item.key")


class ItemDetailSerializer(ItemSerializer):
    """With the versions the caller may see (``context["versions"]``)."""

    versions = serializers.SerializerMethodField()

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, item):
        return VersionSerializer(self.context["versions"], many=True).data


class LoanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    lender = serializers.IntegerField(source="lender_id", allow_null=True)
    lender_name = serializers.CharField()
    amount_yuan = MoneyField(allow_null=True)
    annual_rate = MoneyField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    interest_paid_yuan = MoneyField(allow_null=True)


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    enterprise = RefSerializer()
    name = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    region = serializers.CharField(source="region_id", allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    completion_date = serializers.DateField(allow_null=True)
    equipment_yuan = MoneyField(allow_null=True)
    intelligent_equipment_yuan = MoneyField(allow_null=True)
    software_yuan = MoneyField(allow_null=True)
    services_yuan = MoneyField(allow_null=True)
    other_yuan = MoneyField(allow_null=True)
    total_investment_yuan = MoneyField(allow_null=True)
    description = serializers.CharField()


class ProjectDetailSerializer(ProjectSerializer):
    loans = serializers.SerializerMethodField()

    @extend_schema_field(LoanSerializer(many=True))
    def get_loans(self, project):
        loans = project.loans.order_by("start_date", "id") if project.pk else []
        return LoanSerializer(loans, many=True).data
