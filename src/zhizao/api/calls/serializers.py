"""Request and response bodies of the calls API. Inputs are typed here; what the values must
satisfy (deadlines, quotas, transitions, weights) is checked by the services. No response
here carries an expert's identity: experts belong to the review app and are never named to
applicants or the public."""

from __future__ import annotations

from rest_framework import serializers

from zhizao.calls.enums import ApplicationState, CallKind, CallState, FieldType, StageKind
from zhizao.calls.services.applications import EXCLUSION_KINDS

from ..common import IdField, IsoDateTimeField, RefSerializer, TextInput


class CallQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=CallState.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class StageSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StageKind.choices)
    opens = IsoDateTimeField(allow_null=True)
    closes = IsoDateTimeField(allow_null=True)


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    final_quota = serializers.IntegerField(allow_null=True)


class FormFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    help_text = serializers.CharField()
    type = serializers.ChoiceField(choices=FieldType.choices)
    required = serializers.BooleanField()
    options = serializers.DictField()
    prefill = serializers.CharField()


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=4, coerce_to_string=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=True)
    ranked = serializers.BooleanField()
    comment_required = serializers.BooleanField()
    bands = serializers.ListField(child=serializers.DictField())


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=CallKind.choices)
    year = serializers.IntegerField()
    state = serializers.ChoiceField(choices=CallState.choices)
    host = RefSerializer()
    requires_nomination = serializers.BooleanField()
    blind_review = serializers.BooleanField()


class CallDetailSerializer(CallSerializer):
    summary = serializers.CharField()
    eligibility = serializers.DictField()
    no_credit_record = serializers.BooleanField()
    eligibility_text = serializers.SerializerMethodField()
    publicity_working_days = serializers.IntegerField()
    reviewers_per_application = serializers.IntegerField()
    stages = StageSerializer(many=True, source="stages.all")
    categories = CategorySerializer(many=True, source="categories.all")
    form = FormFieldSerializer(many=True, source="fields.all")
    rubric = CriterionSerializer(many=True, source="criteria.all")

    def get_eligibility_text(self, call) -> str:
        return self.context["describe"](call)


class CallInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=CallKind.choices, required=False)
    template = TextInput(
        max_length=40,
        help_text="tech_advance | smart_factory | demo_workshop | first_set | subsidy",
    )
    summary = TextInput(max_length=5000)


class CallApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call = serializers.IntegerField(source="call_id")
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=ApplicationState.choices)
    applicant = RefSerializer()
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    nominator = RefSerializer(allow_null=True)
    nomination_rank = serializers.IntegerField(allow_null=True)
    submitted_at = IsoDateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ApplicationDetailSerializer(CallApplicationSerializer):
    data = serializers.DictField()
    missing = serializers.SerializerMethodField()
    correction_request = serializers.CharField()
    correction_deadline = IsoDateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    people = serializers.ListField(child=serializers.CharField())

    def get_missing(self, application) -> list[dict]:
        return [
            {"code": m.code, "label": str(m.label), "problem": str(m.problem)}
            for m in self.context["missing"](application)
        ]


class CallApplicationInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    category = IdField(allow_null=True)
    nominator = IdField(allow_null=True)
    people = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False
    )


class CallAnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="field code → value (file fields are uploaded on the page)"
    )


class ApplicantActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "recall", "withdraw"])
    reason = TextInput(max_length=2000)


class NominationActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["nominate", "withdraw"])


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField(allow_null=True)
    detail = serializers.CharField()


class FormalActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["checklist", "pass", "return", "reject"])
    expected = serializers.ChoiceField(choices=ApplicationState.choices, required=False)
    checklist = serializers.DictField(child=serializers.BooleanField(), required=False)
    request = TextInput(max_length=2000)
    deadline = serializers.DateTimeField(required=False)
    reason = TextInput(max_length=2000)


class PublicityEntrySerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    rank = serializers.IntegerField()
    title = serializers.CharField(source="application.title")
    organisation = serializers.CharField(source="application.applicant.name")
    category = serializers.CharField(source="category.name", allow_null=True, default=None)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=True)


class PublicitySerializer(serializers.Serializer):
    call = serializers.IntegerField(source="call_id")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    state = serializers.CharField()
    entries = PublicityEntrySerializer(many=True, source="entries.all")


class ObjectionInputSerializer(serializers.Serializer):
    application = IdField(required=True)
    name = serializers.CharField(max_length=100)
    phone = TextInput(max_length=40)
    body = serializers.CharField(max_length=5000)


class ObjectionSerializer(serializers.Serializer):
    """The selection office's view; who objected (name, phone) only for the handling officer,
    null for everybody else."""

    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    objector_name = serializers.CharField(source="shown_objector_name", allow_null=True)
    objector_phone = serializers.CharField(source="shown_objector_phone", allow_null=True)
    handled_by_me = serializers.BooleanField()
    body = serializers.CharField()
    state = serializers.CharField()
    answer = serializers.CharField()
    reopened_review = serializers.BooleanField()
    filed_at = IsoDateTimeField()


class ObjectionReceiptSerializer(serializers.Serializer):
    """What the objector gets back."""

    id = serializers.IntegerField()
    state = serializers.CharField()
    filed_at = IsoDateTimeField()


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)
    reopen_review = serializers.BooleanField(required=False, default=False)


class CatalogueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=CallKind.choices)
    year = serializers.IntegerField()
    publisher = RefSerializer()
    reference = serializers.CharField()
    published_on = serializers.DateField()


class CatalogueEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    organisation = RefSerializer(source="organization")
    uscc = serializers.CharField(source="organization.uscc")
    category = serializers.CharField()


class CatalogueQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class NamedExclusionSerializer(serializers.Serializer):
    """One expert or organisation the applicant asks to exclude from the review (回避申请);
    ``number`` is its place in the list (1, 2, …), the id the delete operation takes."""

    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EXCLUSION_KINDS)
    name = serializers.CharField()
    reason = serializers.CharField()


class NamedExclusionsSerializer(serializers.Serializer):
    limit = serializers.IntegerField(help_text="The call's most named exclusions.")
    editable = serializers.BooleanField(help_text="False once the review has started.")
    exclusions = NamedExclusionSerializer(many=True)


class NamedExclusionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EXCLUSION_KINDS)
    name = TextInput(max_length=100)
    reason = TextInput(max_length=300)
