from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhizao.common.masking import mask_email, mask_name, mask_phone
from zhizao.registry import field_rules
from zhizao.registry.enums import OrganizationKind, SizeClass
from zhizao.registry.models import (
    ChainNode,
    Cluster,
    Contact,
    ImportBatch,
    IndustrialChain,
    NameChangeRequest,
    Organization,
)


class ClusterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["code", "name_zh", "name_en"]


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region = serializers.CharField(source="region_id")
    industry = serializers.CharField(source="industry_id", allow_null=True, required=False)
    region_name = serializers.SerializerMethodField()
    industry_name = serializers.SerializerMethodField()
    clusters = ClusterRefSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "uscc",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "industry",
            "industry_name",
            "size",
            "founded_year",
            "employees",
            "revenue_wan",
            "address",
            "website",
            "description",
            "products",
            "capabilities",
            "clusters",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_region_name(self, obj) -> str:
        names, region = [], obj.region
        while region is not None:
            names.append(region.name)
            region = region.parent
        return " ".join(reversed(names))

    def get_industry_name(self, obj) -> str:
        return obj.industry.name if obj.industry else ""


class NameChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NameChangeRequest
        fields = ["id", "old_name", "new_name", "reason", "state", "requested_at"]


class OrganizationDetailSerializer(OrganizationSerializer):
    """One organisation, with the name change waiting for review (if any)."""

    pending_name_change = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "pending_name_change"]

    def get_pending_name_change(self, obj) -> dict | None:
        pending = self.context.get("pending_name_change")
        return NameChangeSerializer(pending).data if pending is not None else None


class _RuleMixin:
    """A field read by the import's rule for its column (``registry.field_rules``): the same
    values are refused with the same message as in the import and the form."""

    def __init__(self, key: str, **kwargs):
        self.key = key
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return field_rules.check(self.key, self.typed(data))

    def typed(self, data):
        return super().to_internal_value(data)


class RuleCharField(_RuleMixin, serializers.CharField):
    pass


class RuleIntegerField(_RuleMixin, serializers.IntegerField):
    """A JSON whole number (a number written as text is read as the import reads it)."""

    def typed(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise field_rules.problem_error(self.key, "integer_invalid", {"value": str(data)})
        return data


class RuleDecimalField(_RuleMixin, serializers.DecimalField):
    """An amount: a JSON number or a decimal string (万 and 亿 are read as in the import)."""

    def typed(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise field_rules.problem_error(self.key, "amount_invalid", {"value": str(data)})
        return data


class RuleChoiceField(_RuleMixin, serializers.ChoiceField):
    """A vocabulary value (the import also reads the Chinese names: 制造企业, 中型)."""

    def typed(self, data):
        if data == "" and self.allow_blank:
            return ""
        return str(data)

    def to_internal_value(self, data):
        data = self.typed(data)
        return field_rules.check(self.key, data) if data else data


class RuleListField(serializers.ListField):
    """A list of short texts, with the import's limits on the count and on each item."""

    def __init__(self, key: str, **kwargs):
        self.key = key
        super().__init__(child=serializers.CharField(allow_blank=True), **kwargs)

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        return list(field_rules.check(self.key, "\n".join(items)))


class OrganizationWriteSerializer(serializers.Serializer):
    """The fields the import also reads are checked by its rules (``field_rules``)."""

    name = RuleCharField("name", required=False)
    uscc = RuleCharField("uscc", required=False)
    kind = RuleChoiceField("kind", choices=OrganizationKind.choices, required=False)
    region = RuleCharField("region", required=False)
    industry = RuleCharField("industry", required=False, allow_null=True)
    size = RuleChoiceField("size", choices=SizeClass.choices, required=False, allow_blank=True)
    founded_year = RuleIntegerField("founded_year", required=False, allow_null=True)
    employees = RuleIntegerField("employees", required=False, allow_null=True)
    revenue_wan = RuleDecimalField(
        "revenue_wan", max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    address = RuleCharField("address", required=False, allow_blank=True)
    website = RuleCharField("website", required=False, allow_blank=True)
    description = RuleCharField("description", required=False, allow_blank=True)
    name_change_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Why the name changes; required when a member (not an operator) changes the "
        "name, which then waits for an operator's review.",
    )
    products = RuleListField("products", required=False)
    capabilities = RuleListField("capabilities", required=False)


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email", "is_primary"]


class MaskedContactSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email", "is_primary"]

    def get_name(self, obj) -> str:
        return mask_name(obj.name)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_email(self, obj) -> str:
        return mask_email(obj.email)


class ChainNodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChainNode
        fields = ["code", "name_zh", "name_en", "position", "industries", "keywords"]


class ChainSerializer(serializers.ModelSerializer):
    cluster = serializers.SlugRelatedField(slug_field="code", read_only=True)
    leader = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = IndustrialChain
        fields = [
            "code",
            "name_zh",
            "name_en",
            "cluster",
            "region",
            "leader",
            "weak_link_threshold",
        ]


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "original_name",
            "state",
            "phase",
            "progress",
            "rows",
            "valid",
            "created",
            "updated",
            "unchanged",
            "error_count",
            "errors",
            "unknown_columns",
            "message",
            "skip_invalid",
            "created_at",
            "finished_at",
        ]


class ChainEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    uscc = serializers.CharField()


class ChainNodeAssessmentSerializer(serializers.Serializer):
    """One node of the weak-link assessment, with its name and local enterprises."""

    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    position = serializers.CharField()
    local_enterprises = serializers.IntegerField()
    weak = serializers.BooleanField()
    severity = serializers.CharField(allow_null=True)
    reason_code = serializers.CharField(allow_null=True)
    reason_params = serializers.DictField(child=serializers.JSONField())
    enterprises = ChainEnterpriseSerializer(many=True)

    def to_representation(self, assessed):
        node = self.context["nodes"][assessed.code]
        return {
            "code": assessed.code,
            "name_zh": node.name_zh,
            "name_en": node.name_en,
            "position": assessed.position,
            "local_enterprises": assessed.local_enterprises,
            "weak": assessed.weak,
            "severity": assessed.severity,
            "reason_code": assessed.reason_code,
            "reason_params": assessed.reason_params,
            "enterprises": ChainEnterpriseSerializer(
                self.context["members"].get(node.pk, []), many=True
            ).data,
        }


class ChainDetailSerializer(ChainSerializer):
    """The chain with ``context["view"]`` (``selectors.chain_view``): coverage and nodes."""

    coverage = serializers.SerializerMethodField()
    weak_count = serializers.SerializerMethodField()
    nodes = serializers.SerializerMethodField()

    class Meta(ChainSerializer.Meta):
        fields = [*ChainSerializer.Meta.fields, "coverage", "weak_count", "nodes"]

    def get_coverage(self, chain) -> float:
        return self.context["view"].assessment.coverage

    def get_weak_count(self, chain) -> int:
        return self.context["view"].assessment.weak_count

    @extend_schema_field(ChainNodeAssessmentSerializer(many=True))
    def get_nodes(self, chain):
        view = self.context["view"]
        context = {"nodes": {n.code: n for n in view.nodes}, "members": view.members}
        return ChainNodeAssessmentSerializer(view.assessment.nodes, many=True, context=context).data


class HistoryEntrySerializer(serializers.Serializer):
    time = serializers.SerializerMethodField()
    user = serializers.CharField(source="actor_name")
    organization = serializers.CharField(source="acting_organization_name")
    action = serializers.CharField()
    changes = serializers.DictField(
        child=serializers.JSONField(), help_text="{field: [before, after]}"
    )

    def get_time(self, entry) -> dt.datetime:
        return entry.created_at


class ImportCommitSerializer(serializers.Serializer):
    skip_invalid = serializers.BooleanField(
        default=False, help_text="Commit the valid rows and leave out the invalid ones"
    )
