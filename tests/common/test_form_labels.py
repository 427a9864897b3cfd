"""Labels read right in Chinese: one English word gets the Chinese of what it names (“Title”
is 职务 only for a person, “Kind” is 机构类型 only for an organisation). Every form of the
registry, policies, diagnosis and matchmaking is rendered in Chinese and its labels compared
with the table below; the model fields named title and kind (the admin's labels) too."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from zhizao.policies.forms_editor import ConditionForm, TitleAmountForm

EXPECTED = {
    "registry.OrganizationFilterForm": {
        "q": "搜索",
        "kind": "机构类型",
        "province": "省份",
        "city": "城市",
        "district": "区县",
        "division": "行业大类",
        "group": "行业中类",
        "industry_class": "行业小类",
        "size": "企业规模",
        "cluster": "集群",
        "chain": "产业链",
        "sort": "排序",
        "per_page": "每页条数",
    },
    "registry.OrganizationForm": {
        "name": "名称",
        "uscc": "统一社会信用代码",
        "kind": "机构类型",
        "region": "所在区县",
        "industry": "行业（GB/T 4754）",
        "size": "企业规模",
        "founded_year": "成立年份",
        "employees": "从业人数",
        "revenue_wan": "营业收入（万元）",
        "address": "地址",
        "website": "网址",
        "description": "简介",
        "products_text": "主要产品",
        "capabilities_text": "能力标签",
        "clusters": "所属集群",
        "chain_nodes": "产业链环节",
        "name_change_reason": "更名原因",
    },
    "registry.ContactForm": {
        "name": "姓名",
        "title": "职务",
        "phone": "电话",
        "email": "电子邮箱",
        "is_primary": "主要联系人",
    },
    "registry.ImportUploadForm": {
        "file": "文件（.xlsx 或 .csv）",
    },
    "registry.OrganizationSearchForm": {
        "q": "搜索",
    },
    "registry.ChainForm": {
        "name_zh": "中文名称",
        "name_en": "英文名称",
        "description_zh": "简介（中文）",
        "description_en": "简介（英文）",
        "weak_link_threshold": "薄弱环节阈值",
        "leader": "链主企业",
    },
    "registry.ChainNodeForm": {
        "name_zh": "中文名称",
        "name_en": "英文名称",
        "position": "所处环节",
    },
    "policies.PolicyForm": {
        "title": "标题",
        "doc_number": "文号",
        "issuing_unit": "发文单位",
        "level": "层级",
        "region": "地区",
        "valid_from": "生效日期",
        "valid_to": "有效期至",
        "window_start": "申报开始",
        "window_end": "申报截止",
        "budget_yuan": "预算（元）",
        "first_come": "用完即止",
        "summary": "摘要",
        "attachment": "政策原文",
    },
    "policies.PolicyFilterForm": {
        "q": "搜索标题或文号",
        "level": "层级",
        "region": "地区",
        "state": "状态",
    },
    "policies.ItemForm": {
        "key": "标识",
        "name": "名称",
        "category": "类别",
        "subject": "评估对象",
        "proactive": "免申即享",
        "budget_yuan": "预算（元）",
    },
    "policies.ProjectForm": {
        "name": "名称",
        "kind": "项目类型",
        "status": "状态",
        "region": "项目地点",
        "start_date": "开始日期",
        "completion_date": "竣工日期",
        "equipment_yuan": "设备（元）",
        "intelligent_equipment_yuan": "其中智能装备（元）",
        "software_yuan": "软件（元）",
        "services_yuan": "服务（元）",
        "other_yuan": "其他（元）",
        "description": "简介",
    },
    "policies.LoanForm": {
        "lender": "贷款机构",
        "lender_name": "贷款机构名称",
        "amount_yuan": "金额（元）",
        "annual_rate": "年利率",
        "start_date": "开始日期",
        "end_date": "结束日期",
        "interest_paid_yuan": "已付利息（元）",
    },
    "policies.DocumentForm": {
        "file": "材料",
    },
    "policies.RecognitionForm": {
        "title": "称号",
        "level": "层级",
        "since": "获得日期",
        "reference": "文号",
    },
    "policies.CreditRecordForm": {
        "kind": "记录类型",
        "start_date": "开始日期",
        "end_date": "结束日期",
        "description": "简介",
        "source": "来源",
    },
    "policies.EndCreditRecordForm": {
        "end_date": "结束日期",
    },
    "diagnosis.StartForm": {
        "model": "模型",
        "enterprise_type": "贵企业属于离散型制造还是流程型制造？",
    },
    "diagnosis.CampaignForm": {
        "name": "名称",
        "description": "简介",
        "model": "模型",
        "budget_yuan": "预算（元）",
        "price_yuan": "每家诊断单价（元）",
        "deadline": "截止日期",
        "target_filter": "目标企业",
    },
    "diagnosis.CampaignProviderForm": {
        "provider": "服务商（信用代码或全称）",
        "quota": "名额",
        "regions": "服务区域",
        "conflicts": "存在利害关系的企业",
    },
    "diagnosis.VisitForm": {
        "visited_at": "走访日期",
        "note": "走访记录",
    },
    "matchmaking.DemandForm": {
        "title": "标题",
        "description": "说明",
        "category": "类别",
        "budget_band": "预算",
        "timeline": "时间要求",
        "needed_by": "期望完成日期",
        "contact": "联系人",
    },
    "matchmaking.OfferingForm": {
        "kind": "类型",
        "title": "标题",
        "description": "说明",
        "categories": "类别",
        "industries": "服务行业",
        "regions": "本地服务地区",
        "certifications": "资质认证",
        "price_min_yuan": "起价（元）",
        "price_max_yuan": "最高价（元）",
    },
    "matchmaking.CaseForm": {
        "title": "案例",
        "customer_industry": "客户行业",
        "region": "地区",
        "result": "结果",
        "year": "年份",
    },
    "matchmaking.RequestForm": {
        "message": "留言",
    },
    "matchmaking.AcceptForm": {},
    "matchmaking.ReasonForm": {
        "reason": "原因",
    },
    "matchmaking.MeetingForm": {
        "note": "洽谈记录",
    },
    "matchmaking.DealForm": {
        "value_yuan": "成交金额（元）",
        "evidence": "成交凭证",
    },
    "matchmaking.ConsentForm": {
        "contact": "联系人",
    },
    "matchmaking.ChallengeForm": {
        "title": "标题",
        "description": "说明",
        "category": "类别",
        "budget_yuan": "预算（元）",
        "deadline": "截止日期",
        "region_prefix": "申报单位所在地",
        "certifications": "资质要求",
        "min_cases": "最少案例数",
    },
    "matchmaking.ApplicationForm": {
        "proposal": "揭榜方案",
        "file": "附件",
    },
    "matchmaking.ReviewForm": {
        "state": "评审结论",
        "score": "得分",
        "note": "评审意见",
    },
    "matchmaking.AnnounceForm": {
        "announcement": "公示内容",
    },
    "matchmaking.FilterForm": {
        "q": "搜索",
        "category": "类别",
        "state": "状态",
    },
}

#: (app, model, field) → the Chinese of its verbose name
MODEL_LABELS = {
    ("registry", "Organization", "kind"): "机构类型",
    ("registry", "Contact", "title"): "职务",
    ("policies", "Policy", "title"): "标题",
    ("policies", "NameList", "title"): "标题",
    ("policies", "Recognition", "title"): "称号",
    ("policies", "Project", "kind"): "项目类型",
    ("policies", "CreditRecord", "kind"): "记录类型",
    ("diagnosis", "Assessment", "kind"): "评估类型",
    ("matchmaking", "Offering", "kind"): "类型",
    ("matchmaking", "Offering", "title"): "标题",
    ("matchmaking", "Case", "title"): "标题",
    ("matchmaking", "Demand", "title"): "标题",
    ("matchmaking", "Challenge", "title"): "标题",
    ("matchmaking", "MatchSignal", "kind"): "信号类型",
}


def form_classes():
    for app in ("registry", "policies", "diagnosis", "matchmaking"):
        module = importlib.import_module(f"zhizao.{app}.forms")
        for name, cls in vars(module).items():
            if (
                isinstance(cls, type)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and cls.base_fields
            ):
                yield f"{app}.{name}", cls


def test_every_form_label_reads_right_in_chinese():
    with translation.override("zh-hans"):
        labels = {
            key: {
                name: str(field.label)
                for name, field in cls.base_fields.items()
                if field.label is not None
            }
            for key, cls in form_classes()
        }
    assert labels == EXPECTED


@pytest.mark.django_db
def test_rule_editor_rows_name_titles_as_titles_held():
    with translation.override("zh-hans"):
        title_row = TitleAmountForm(prefix="title-0")
        condition = ConditionForm(prefix="cond-0")
        assert (str(title_row.fields["title"].label), str(condition.fields["titles"].label)) == (
            "称号",
            "荣誉资质",
        )


def test_model_fields_named_title_and_kind_read_right():
    with translation.override("zh-hans"):
        labels = {
            (app, model, field): str(apps.get_model(app, model)._meta.get_field(field).verbose_name)
            for app, model, field in MODEL_LABELS
        }
    assert labels == MODEL_LABELS
