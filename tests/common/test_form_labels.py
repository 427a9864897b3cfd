"""Labels read right in Chinese: one English word gets the Chinese of what it names (“Title”
is 职务 only for a person, “Kind” is 机构类型 only for an organisation). Every form of every
app with forms (registry, policies, diagnosis, matchmaking, calls, events, insights, review,
classroom) is rendered in Chinese and its labels compared with the table below; every model
field named title or kind (the admin's labels) too."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from zhizao.common.pickers import TreeChoiceField
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
    "calls.CallCreateForm": {
        "template": "模板",
        "title": "标题",
        "year": "年份",
        "summary": "摘要",
    },
    "calls.CallSettingsForm": {
        "title": "标题",
        "summary": "摘要",
        "year": "年份",
        "blind_review": "匿名评审",
        "requires_nomination": "须经推荐",
        "publicity_working_days": "公示期（工作日）",
        "reviewers_per_application": "每项评审专家数",
        "conflict_years": "回避年限（年）",
        "max_experts_per_organisation": "每项同单位专家上限",
        "max_named_exclusions": "申报方可申请回避的专家数",
        "allow_bidding": "允许专家选报",
    },
    "calls.FieldForm": {
        "code": "代码",
        "label": "名称",
        "type": "类型",
        "required": "必填",
        "help_text": "填写说明",
        "prefill": "预填来源",
        "blind_hidden": "盲评时对专家隐藏",
        "max_length": "文本：最多字数",
        "min_length": "文本：最少字数",
        "minimum": "数字：最小值",
        "maximum": "数字：最大值",
        "choices": "选项（每行一个）",
        "multiple": "允许多选",
        "file_types": "文件类型（如 pdf, xlsx）",
        "max_mb": "文件：最大（MB）",
        "columns": "表格列（每行一列：代码:名称）",
    },
    "calls.QuotaForm": {
        "nominator": "推荐单位",
        "category": "类别",
        "quota": "名额",
    },
    "calls.StartApplicationForm": {
        "title": "项目名称",
        "category": "类别",
        "nominator": "推荐单位",
    },
    "calls.ReturnForm": {
        "request": "补正内容",
        "deadline": "补正截止",
    },
    "calls.ObjectionForm": {
        "application": "公示条目",
        "name": "署名（真实姓名）",
        "phone": "电话",
        "body": "异议",
    },
    "calls.AnswerObjectionForm": {
        "answer": "答复",
        "reopen_review": "重新启动该项目的专家评审",
    },
    "calls.VerifyIdentityForm": {
        "username": "登录名",
        "real_name": "真实姓名",
        "note": "核验方式",
    },
    "events.EventForm": {
        "title": "标题",
        "host_units": "主办单位",
        "description": "介绍",
        "starts_on": "开始日期",
        "ends_on": "结束日期",
        "venue": "地点",
        "online_url": "线上地址",
        "session_link_access": "在线链接",
        "meeting_days": "洽谈日",
        "meeting_day_start": "洽谈开始时间",
        "meeting_day_end": "洽谈结束时间",
        "slot_minutes": "时段长度（分钟）",
        "tables": "桌位数",
        "max_meetings": "每人洽谈上限",
        "needs_acceptance": "洽谈请求需对方接受",
    },
    "events.RegisterForm": {
        "kind": "参会类型",
        "name": "胸卡姓名",
        "invitation_code": "邀请码",
        "phone": "电话",
        "email": "电子邮箱",
        "shares_contact": "我参观的展位或扫描我胸卡的展商可以看到我的电话和邮箱",
    },
    "events.CodeForm": {
        "code": "胸卡码",
        "door": "入口",
    },
    "events.MeetingRequestForm": {
        "recipient": "参会者",
        "reason": "洽谈理由",
        "priority": "优先级",
    },
    "events.RespondForm": {},
    "events.OutcomeForm": {
        "outcome": "洽谈结果",
    },
    "events.LeadForm": {
        "code": "胸卡码",
        "note": "备注",
        "rating": "评级",
    },
    "events.BoothForm": {
        "introduction": "展位介绍",
        "offerings": "供给",
        "cases": "案例（每行一个）",
        "documents": "资料（链接，每行一个）",
        "videos": "视频（链接，每行一个）",
        "staff_on_duty": "值守人员（每行一位）",
    },
    "events.NeedForm": {
        "title": "标题",
        "description": "您需要什么？",
        "category": "类别",
        "region": "地区",
    },
    "events.VisitForm": {},
    "events.TimetableRowForm": {
        "title": "标题",
        "start": "开始",
        "end": "结束",
        "room": "会议室",
        "forum": "论坛",
        "online_url": "直播链接",
        "recording_url": "回放链接",
        "link_access": "在线链接",
    },
    "events.RegistrationTypeForm": {
        "capacity": "名额",
        "needs_approval": "需审核",
        "invitation_code": "邀请码",
    },
    "insights.FilterForm": {
        "region": "地区",
        "cluster": "集群",
        "chain": "产业链",
        "division": "行业大类",
        "size": "企业规模",
        "start": "起始月份",
        "end": "截止月份",
    },
    "insights.NewReportForm": {
        "month": "月份",
        "scope": "地区（留空为全部地区）",
    },
    "insights.ReportForm": {
        "title": "标题",
        "summary": "摘要",
        "plan": "下月工作计划",
    },
    "insights.ActivityForm": {
        "section": "栏目",
        "date": "日期",
        "title": "标题",
        "detail": "详情",
    },
    "insights.NewsForm": {
        "title": "标题",
        "body": "正文",
        "photo": "照片",
    },
    "insights.JurisdictionForm": {
        "region": "辖区",
    },
    "review.ExpertForm": {
        "name": "姓名",
        "person_id": "人员编号",
        "title": "职称",
        "years_experience": "从业年限",
        "divisions": "行业大类（GB/T 4754）",
        "domains": "技术领域",
        "attributes": "专家属性",
        "keywords": "研究与实践关键词",
        "max_load": "每轮最多评审申报数",
    },
    "review.NewExpertForm": {
        "name": "姓名",
        "person_id": "人员编号",
        "title": "职称",
        "years_experience": "从业年限",
        "divisions": "行业大类（GB/T 4754）",
        "domains": "技术领域",
        "attributes": "专家属性",
        "keywords": "研究与实践关键词",
        "max_load": "每轮最多评审申报数",
        "membership": "专家账号",
    },
    "review.PastOrganisationForm": {
        "uscc": "统一社会信用代码",
        "until": "截止日期",
    },
    "review.RelationForm": {
        "person": "人员（编号或姓名）",
        "kind": "关系",
        "note": "备注",
    },
    "review.RoundForm": {
        "call": "申报通知",
        "name": "名称",
        "kind": "类型",
        "reviewers_per_application": "每个申报的专家数",
        "visibility": "其他专家评审意见的可见性",
        "deadline": "截止日期",
        "economic_expert": "每个申报至少一位经济专家",
    },
    "review.AssignForm": {
        "method": "方法",
        "seed": "随机种子（随机抽取）",
        "cap": "任一专家—申报配对的最大概率（随机抽取）",
    },
    "review.ManualForm": {
        "application": "申报",
        "expert": "专家",
    },
    "review.ReasonForm": {
        "reason": "原因",
    },
    "review.RankingForm": {
        "method": "方法",
        "trim": "去掉最高和最低分的个数",
        "divergence": "分歧阈值",
        "cutoff": "入围分数线",
    },
    "review.PanelDecisionForm": {
        "outcome": "结论",
        "votes_for": "赞成",
        "votes_against": "反对",
        "votes_abstain": "弃权",
        "consensus_score": "合议分数",
        "note": "备注",
    },
    "review.AppraisalForm": {
        "timeliness": "及时性（1–5）",
        "quality": "质量（1–5）",
        "note": "备注",
    },
    "review.ReviewForm": {
        "comment": "总体评语",
    },
    "review.AvailabilityForm": {
        "expert": "专家",
        "available": "本轮可参评",
        "max_load": "最多评审申报数",
    },
    "review.MyAvailabilityForm": {
        "available": "本轮可参评",
        "max_load": "最多评审申报数",
    },
    "review.BidForm": {
        "interest": "我的意向",
    },
    "review.ExpertImportForm": {
        "file": "专家文件（xlsx 或 csv）",
    },
    "classroom.SearchForm": {
        "q": "搜索课程",
    },
    "classroom.CourseForm": {
        "title": "课程名称",
        "summary": "摘要",
        "lecturers": "讲师",
        "level": "等级",
        "subdomains": "对应的成熟度子域",
        "categories": "类别",
    },
    "classroom.LessonForm": {
        "title": "课时名称",
        "minutes": "时长（分钟）",
        "summary": "摘要",
        "video": "视频文件（MP4、WebM、Ogg）",
        "video_link": "或外部视频链接",
        "documents": "资料（链接，每行一个）",
    },
    "classroom.QuizEditForm": {
        "pass_percent": "及格线（%）",
        "text": "题目",
    },
    "classroom.RatingForm": {
        "stars": "评级",
        "comment": "备注",
    },
    "classroom.AnswerForm": {
        "answer": "答复",
    },
    "classroom.VerifyForm": {
        "code": "验证码",
    },
    "classroom.LiveClassForm": {
        "title": "直播课标题",
        "starts_at": "开始时间",
        "ends_at": "结束时间",
        "online_url": "在线链接",
        "capacity": "名额",
    },
    "classroom.RecordingForm": {
        "recording_link": "回放链接",
        "lesson": "或选择本课程的一节课",
    },
}

#: (app, model, field) → the Chinese of its verbose name, for every field named title or kind
MODEL_LABELS = {
    ("common", "Notification", "title"): "标题",
    ("registry", "Organization", "kind"): "机构类型",
    ("registry", "Contact", "title"): "职务",
    ("diagnosis", "Assessment", "kind"): "评估类型",
    ("policies", "Policy", "title"): "标题",
    ("policies", "Project", "kind"): "项目类型",
    ("policies", "Recognition", "title"): "称号",
    ("policies", "CreditRecord", "kind"): "记录类型",
    ("policies", "NameList", "title"): "标题",
    ("matchmaking", "Offering", "kind"): "类型",
    ("matchmaking", "Offering", "title"): "标题",
    ("matchmaking", "Case", "title"): "标题",
    ("matchmaking", "Demand", "title"): "标题",
    ("matchmaking", "MatchSignal", "kind"): "信号类型",
    ("matchmaking", "Challenge", "title"): "标题",
    ("events", "Event", "title"): "标题",
    ("events", "ProgrammeBlock", "title"): "标题",
    ("events", "Forum", "kind"): "论坛类型",
    ("events", "Forum", "title"): "标题",
    ("events", "Session", "title"): "标题",
    ("events", "RegistrationType", "kind"): "参会类型",
    ("calls", "Call", "title"): "标题",
    ("calls", "Call", "kind"): "类型",
    ("calls", "CallStage", "kind"): "拨付阶段",
    ("calls", "Application", "title"): "标题",
    ("calls", "CalendarDay", "kind"): "日期类型",
    ("calls", "Catalogue", "title"): "标题",
    ("calls", "Catalogue", "kind"): "类型",
    ("calls", "CatalogueEntry", "title"): "标题",
    ("review", "Expert", "title"): "职称",
    ("review", "Relation", "kind"): "关系",
    ("review", "ReviewRound", "kind"): "类型",
    ("insights", "MonthlyReport", "title"): "标题",
    ("insights", "ReportActivity", "title"): "标题",
    ("insights", "ReportNewsItem", "title"): "标题",
    ("classroom", "Course", "title"): "标题",
    ("classroom", "Lesson", "title"): "标题",
}


FORM_APPS = (
    "registry",
    "policies",
    "diagnosis",
    "matchmaking",
    "calls",
    "events",
    "insights",
    "review",
    "classroom",
)


def form_classes():
    for app in FORM_APPS:
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
            (model._meta.app_label, model.__name__, field.name): str(field.verbose_name)
            for model in apps.get_models()
            if model.__module__.startswith("zhizao.")
            for field in model._meta.get_fields()
            if getattr(field, "concrete", False) and field.name in ("title", "kind")
        }
    assert labels == MODEL_LABELS


# Fields named for a region that take a typed code: each is a link's parameter (the page shows
# pickers by name, or the value comes from a link), never a box a person types a code into.
REGION_CODE_PARAMETERS = {
    (
        "registry.OrganizationFilterForm",
        "region",
    ): "a link's parameter; the page shows cascading selects",
    ("insights.FilterForm", "region"): "the dashboard's drill-down parameter (map and table links)",
}


def test_no_form_asks_for_a_typed_region_code():
    """Regions are picked by name (``common.pickers.TreeChoiceField``, narrowing province →
    city → district, or the cascading filters): a free-text field named for a region is a code typed by hand (the unused
    ``policies.PolicyFilterForm`` had one)."""
    typed = {
        (key, name)
        for key, cls in form_classes()
        for name, field in cls.base_fields.items()
        if "region" in name
        and not isinstance(field, forms.ChoiceField | forms.ModelChoiceField | TreeChoiceField)
    }
    assert sorted(typed - set(REGION_CODE_PARAMETERS)) == []
    assert sorted(set(REGION_CODE_PARAMETERS) - typed) == []
