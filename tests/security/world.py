"""One small world with an object of every kind a route needs, owned so that the ten roles of
the route × role table can be told apart.

| role | user | acts for |
|---|---|---|
| ``anon`` | — (not logged in) | — |
| ``nobody`` | ``sec-nobody`` | no membership at all |
| ``ent_a`` | ``sec-ent-a`` | enterprise A (无锡, manufacturer): owns the assessments, project, demands |
| ``ent_b`` | ``sec-ent-b`` | enterprise B (常州, manufacturer): owns nothing of A's |
| ``provider`` | ``sec-provider`` | a solution provider (无锡): offerings, the campaign's provider |
| ``bank`` | ``sec-bank`` | a bank (无锡): a financial offering |
| ``officer`` | ``sec-officer`` | a city bureau (government) |
| ``operator`` | ``sec-operator`` | the platform (society) |
| ``expert`` | ``sec-expert`` | a university |
| ``society`` | ``sec-society`` | a member society |

Everything is written through the services (the one write path), as the acting user of the
side that would write it. ``build_world`` returns a ``World`` whose attributes the table's rows
name (``"org_a"``, ``"intro_requested"``, …)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import actor_for, make_organization, make_user
from tests.security.world_calls import build_calls_world
from tests.security.world_classroom import build_classroom_world
from zhizao.accounts import services as accounts
from zhizao.accounts.enums import Role
from zhizao.common.notifications import notify
from zhizao.diagnosis import services as diagnosis
from zhizao.diagnosis.cache import clear_provider_index
from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.selectors import default_model
from zhizao.diagnosis.services import load_model_files
from zhizao.events import services as events
from zhizao.insights import services as insights
from zhizao.matchmaking import services as matchmaking
from zhizao.policies import services as policies
from zhizao.policies.services import editor, namelists, payments, sandbox, scans
from zhizao.registry.models import Contact, IndustrialChain, Organization
from zhizao.registry.services import imports, organizations

ROLES = (
    "anon",
    "nobody",
    "ent_a",
    "ent_b",
    "provider",
    "bank",
    "officer",
    "operator",
    "expert",
    "society",
)
AS_OF = dt.date(2026, 6, 30)


def wuxi_rule() -> dict:
    """Projects in Wuxi (3202…) above 30,000,000 yuan: 8 % of the equipment investment."""
    return {
        "id": "sec-wuxi-grant",
        "name": {"zh": "无锡市智能化改造奖补", "en": "Wuxi transformation grant"},
        "subject": "project",
        "category": "grant",
        "version": 1,
        "valid_from": "2024-01-01",
        "parameters": {
            "min_investment": {
                "value": "30000000",
                "label": {"zh": "项目总投资门槛（元）", "en": "investment threshold (yuan)"},
            },
            "equipment_rate": {
                "value": "0.08",
                "label": {"zh": "设备投资奖补比例", "en": "equipment rate"},
            },
        },
        "conditions": {
            "all": [
                {"fact": "enterprise.region", "op": "prefix", "value": ["3202"]},
                {
                    "fact": "project.total_investment",
                    "op": "gt",
                    "value": {"param": "min_investment"},
                },
            ]
        },
        "amount": {"percent": {"param": "equipment_rate"}, "of": ["project.equipment"]},
    }


def example_case() -> dict:
    """An example case the rule of ``wuxi_rule`` passes: 8 % of 20,000,000 yuan."""
    return {
        "name": "总投资 3,100 万元",
        "as_of": "2026-06-30",
        "enterprise": {
            "region": "320214",
            "industry": "3421",
            "titles": [],
            "projects": [
                {
                    "id": "p1",
                    "kind": "intelligent_transformation",
                    "start_date": "2026-03-01",
                    "equipment_yuan": "20000000",
                    "software_yuan": "11000000",
                    "services_yuan": "0",
                    "other_yuan": "0",
                }
            ],
        },
        "expect": [{"project": "p1", "eligible": True, "amount_yuan": "1600000.00"}],
    }


def pdf(name: str = "证明材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 security table", content_type="application/pdf")


def expert_csv() -> SimpleUploadedFile:
    """An expert import file naming the spare expert account."""
    text = "登录名,姓名,从业年限\nsec-expert-2,第二专家,8\n"
    return SimpleUploadedFile("experts.csv", text.encode("utf-8"), "text/csv")


def import_csv(name: str = "orgs.csv") -> SimpleUploadedFile:
    from zhizao_core.registry.uscc import make_uscc

    lines = [
        "名称,统一社会信用代码,机构类型,行政区划代码,行业代码",
        f"无锡安全表测试有限公司,{make_uscc(region='320214', serial=977001)},制造企业,320214,3421",
    ]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), "text/csv")


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_review_objects(w: World, actor: dict, platform) -> None:
    from zhizao.calls.models import Application as CallApplication
    from zhizao.calls.services import calls as call_services
    from zhizao.review import services as review

    o = w.objects
    op = actor["operator"]
    call = call_services.create_call(
        op, host=platform, title="安全表评审申报", year=2026, kind="tech_advance"
    )
    call_services.update_call(op, call, {"allow_bidding": True})  # experts bid in its rounds
    call_services.set_rubric(
        op,
        call,
        [
            {"code": "innovation", "name": "创新性", "weight": "0.6", "max_score": "100"},
            {"code": "impact", "name": "应用成效", "weight": "0.4", "max_score": "100"},
        ],
    )
    applicant = make_organization(
        name="安全表评审申报企业有限公司", region="320214", industry="3491"
    )
    # The calls pipeline (apply → nominate → formal review) belongs to the calls app; the round
    # needs an application that passed formal review.
    o["review_application"] = CallApplication.objects.create(
        call=call, applicant=applicant, title="安全表视觉检测项目", state="formal_passed"
    )
    # a file the assigned expert downloads (review:assignment_file)
    call.fields.get_or_create(
        code="evidence",
        defaults={"label": "证明材料", "type": "file", "options": {"types": ["pdf"], "max_mb": 5}},
    )
    o["review_application"].files.create(
        field_code="evidence",
        file=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x" * 10, "application/pdf"),
        name="证明.pdf",
        size=100,
    )
    o["expert_profile"] = review.create_expert(
        op, w.users["expert"].memberships.get(), name="安全表专家", divisions=["34"]
    )
    spare_org = make_organization(
        name="安全表第二大学", kind="university", region="320214", industry=None
    )
    o["spare_expert_user"] = make_user("sec-expert-2", role=Role.EXPERT, organization=spare_org)
    o["review_round"] = review.create_round(
        op,
        call,
        name="安全表网评",
        kind="online",
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=20),
        reviewers_per_application=1,
    )
    review.run_assignment(op, o["review_round"], method="draw", seed=7, cap="1")
    review.open_round(op, o["review_round"])
    o["review_assignment"] = o["review_round"].assignments.get()
    review.save_review(
        actor["expert"],
        o["review_assignment"],
        scores={"innovation": "80", "impact": "90"},
        submit=True,
    )
    o["ranking"] = review.rank_round(op, o["review_round"], method="mean")
    # a second round still being prepared: experts declare availability and bid in it
    o["review_round_draft"] = review.create_round(
        op,
        call,
        name="安全表会评",
        kind="panel",
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=40),
        reviewers_per_application=1,
    )


def build_world() -> World:
    w = World()
    o = w.objects

    # --- organisations and users ------------------------------------------------------------
    o["org_a"] = make_organization(
        name="无锡安全甲精密机械有限公司", region="320214", industry="3421"
    )
    o["org_b"] = make_organization(
        name="常州安全乙注塑模具有限公司", region="320411", industry="2929"
    )
    o["provider_org"] = make_organization(
        name="无锡安全智联工业软件有限公司", kind="provider", region="320214", industry=None
    )
    o["bank_org"] = make_organization(
        name="江苏安全银行无锡分行", kind="bank", region="320214", industry=None
    )
    bureau = make_organization(
        name="无锡市安全工业和信息化局", kind="government", region="320214", industry=None
    )
    o["bureau"] = bureau
    platform = make_organization(
        name="安全智能制造推进联盟秘书处", kind="society", region="310101", industry=None
    )
    university = make_organization(
        name="江南安全大学", kind="university", region="320214", industry=None
    )
    society = make_organization(
        name="无锡安全机械工程学会", kind="society", region="320214", industry=None
    )
    memberships = {
        "ent_a": (Role.ENTERPRISE, o["org_a"]),
        "ent_b": (Role.ENTERPRISE, o["org_b"]),
        "provider": (Role.PROVIDER, o["provider_org"]),
        "bank": (Role.BANK, o["bank_org"]),
        "officer": (Role.OFFICER, bureau),
        "operator": (Role.OPERATOR, platform),
        "expert": (Role.EXPERT, university),
        "society": (Role.SOCIETY, society),
    }
    w.users["anon"] = None
    w.users["nobody"] = make_user("sec-nobody")
    for role, (kind, org) in memberships.items():
        w.users[role] = make_user(f"sec-{role.replace('_', '-')}", role=kind, organization=org)
    actor = {role: actor_for(user) for role, user in w.users.items() if user is not None}

    o["contact_a"] = Contact.objects.create(
        organization=o["org_a"], name="李工", title="设备部长", phone="13912345678"
    )
    o["contact_p"] = Contact.objects.create(
        organization=o["provider_org"], name="周经理", title="销售经理", phone="13800001111"
    )
    o["chain"] = IndustrialChain.objects.order_by("code").first()
    o["chain_node"] = o["chain"].nodes.order_by("sort_order", "id").first()
    o["user_a"] = w.users["ent_a"]
    # An API token of A's user (tokens belong to users, not memberships).
    o["token_a"] = accounts.create_api_token(
        actor["ent_a"], w.users["ent_a"], name="ERP 同步"
    ).token
    # A pending change of A's registered name, for the operators' review queue.
    o["name_change"] = organizations.request_name_change(
        actor["ent_a"], o["org_a"], new_name="无锡安全甲智能装备有限公司", reason="集团统一更名"
    )

    # --- registry: an import batch, checked ------------------------------------------------
    o["batch"] = imports.start_import(actor["operator"], file=import_csv())

    # --- diagnosis ---------------------------------------------------------------------------
    load_model_files(shipped_model_files())
    clear_provider_index()
    model = default_model()
    o["model"] = model
    self_a = diagnosis.start_self_assessment(actor["ent_a"], o["org_a"], model, "discrete")
    first = model.parsed().asked("discrete")[0].id
    diagnosis.save_answer(actor["ent_a"], self_a, first, "1")
    o["requirement"] = first
    o["evidence"] = diagnosis.add_evidence(actor["ent_a"], self_a, first, pdf())
    o["self_a"] = self_a
    campaign = diagnosis.create_campaign(
        actor["operator"],
        targets_qs=Organization.objects.filter(pk=o["org_a"].pk),
        name="2026 安全表免费诊断",
        model=model,
        budget_yuan=Decimal("20000"),
        price_yuan=Decimal("20000"),
        target_filter="",
    )
    o["campaign_provider"] = diagnosis.add_provider(
        actor["operator"], campaign, o["provider_org"], 1, ["320000"], []
    )
    diagnosis.propose_allocation(actor["operator"], campaign)
    o["campaign"] = diagnosis.set_campaign_state(actor["operator"], campaign, "running")
    o["target"] = campaign.targets.get()
    o["onsite"] = diagnosis.start_onsite(actor["provider"], o["target"])
    o["target"].refresh_from_db()

    # --- policies ------------------------------------------------------------------------------
    officer = actor["officer"]
    o["draft_policy"] = policies.create_policy(
        officer,
        title="无锡市安全表草稿政策",
        doc_number="锡工信规〔2026〕9号",
        issuing_unit="无锡市工业和信息化局",
        level="city",
        valid_from=dt.date(2026, 1, 1),
    )
    policy = policies.create_policy(
        officer,
        title="无锡市智能化改造数字化转型专项资金管理办法",
        doc_number="锡工信规〔2026〕3号",
        issuing_unit="无锡市工业和信息化局",
        level="city",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2028, 12, 31),
        budget_yuan=Decimal("50000000"),
        attachment=pdf("政策原文.pdf"),
    )
    o["policy"] = policies.publish_policy(officer, policy)
    item = policies.create_item(
        officer,
        o["policy"],
        key="sec-wuxi-grant",
        name="智能化改造设备投资奖补",
        category="grant",
        subject="project",
    )
    v1 = item.versions.get(number=1)
    policies.update_item_version(officer, v1, rule=wuxi_rule())
    o["version"] = policies.publish_item_version(officer, v1)
    o["draft_version"] = editor.save_case(officer, item, case=example_case())
    item.refresh_from_db()
    o["item"] = item

    o["project"] = policies.create_project(
        actor["ent_a"],
        o["org_a"],
        name="锻压线智能化改造",
        kind="intelligent_transformation",
        start_date=dt.date(2026, 3, 1),
        equipment_yuan=Decimal("31000000"),
        software_yuan=Decimal("0"),
        services_yuan=Decimal("0"),
        other_yuan=Decimal("0"),
    )
    o["loan"] = policies.add_loan(
        actor["ent_a"],
        o["project"],
        amount_yuan=Decimal("5000000"),
        annual_rate=Decimal("0.0345"),
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2029, 3, 1),
        lender=o["bank_org"],
    )
    o["document"] = policies.upload_document(actor["ent_a"], o["project"], pdf("可研报告.pdf"))
    o["recognition"] = policies.add_recognition(
        officer, o["org_a"], title="专精特新", level="provincial", since=dt.date(2024, 5, 1)
    )
    o["credit"] = policies.add_credit_record(
        officer,
        o["org_b"],
        kind="abnormal",
        start_date=dt.date(2025, 11, 1),
        description="经营异常名录",
        source="国家企业信用信息公示系统",
    )
    scan = scans.run_scan(scans.start_scan(officer, o["version"], as_of=AS_OF))
    o["scan"] = scan
    o["scan_decision"] = scan.decisions.order_by("id").first()  # a row's folded explanation
    announced = namelists.create_name_list(officer, scan, title="公示名单")
    o["announced_list"] = namelists.announce_name_list(
        officer, announced, today=dt.date(2026, 7, 1)
    )
    entry = o["announced_list"].entries.get(enterprise=o["org_a"])
    entry, _changed = namelists.confirm_entry(actor["ent_a"], entry)
    o["entry"] = entry
    o["payment"] = payments.record_payment(
        officer, entry, amount_yuan="100000", stage="首期", paid_on=dt.date(2026, 7, 20)
    )
    # a second announced list: A has not answered its entry yet
    o["open_list"] = namelists.announce_name_list(
        officer,
        namelists.create_name_list(officer, scan, title="第二批公示名单"),
        today=dt.date(2026, 7, 1),
    )
    o["entry_open"] = o["open_list"].entries.get(enterprise=o["org_a"])
    o["draft_list"] = namelists.create_name_list(officer, scan, title="草稿名单")
    o["draft_entry"] = o["draft_list"].entries.get(enterprise=o["org_a"])
    o["sandbox_run"] = sandbox.run_sandbox(
        officer, o["version"], changes={"parameters.equipment_rate": "0.1"}, as_of=AS_OF
    )

    # --- matchmaking ---------------------------------------------------------------------------
    p, bank, ent = actor["provider"], actor["bank"], actor["ent_a"]
    offering = matchmaking.create_offering(
        p,
        o["provider_org"],
        kind="solution",
        title="注塑件外观缺陷机器视觉检测系统",
        description="机器视觉检测外观缺陷，与 MES 对接。",
        categories=["machine_vision"],
        regions=["320200"],
    )
    o["case"] = matchmaking.add_case(
        p, offering, title="汽车零部件外观检测", region="320411", result="漏检率 0.2%", year=2024
    )
    o["offering"] = matchmaking.publish_offering(p, offering)
    o["offering_mes"] = matchmaking.publish_offering(
        p,
        matchmaking.create_offering(
            p,
            o["provider_org"],
            kind="solution",
            title="离散制造 MES 实施",
            description="车间 MES 与数据采集。",
            categories=["mes"],
        ),
    )
    o["offering_spare"] = matchmaking.publish_offering(
        p,
        matchmaking.create_offering(
            p,
            o["provider_org"],
            kind="service",
            title="设备预测性维护",
            description="振动监测与预测性维护。",
            categories=["predictive_maintenance"],
        ),
    )
    o["offering_draft"] = matchmaking.create_offering(
        p,
        o["provider_org"],
        kind="product",
        title="草稿：边缘网关",
        description="工业边缘网关。",
        categories=["iiot_platform"],
    )
    o["bank_offering"] = matchmaking.publish_offering(
        bank,
        matchmaking.create_offering(
            bank,
            o["bank_org"],
            kind="financial",
            title="智改数转贷",
            description="技改项目中长期贷款。",
            categories=["financing"],
        ),
    )
    o["demand"] = matchmaking.publish_demand(
        ent,
        matchmaking.create_demand(
            ent,
            o["org_a"],
            title="注塑件外观缺陷视觉检测",
            description="替代人工目检，需要与现有 MES 对接。",
            category="machine_vision",
            region="320214",
            contact=o["contact_a"],
        ),
    )
    o["demand_draft"] = matchmaking.create_demand(
        ent,
        o["org_a"],
        title="草稿：仓储自动化",
        description="立体库改造。",
        category="warehouse_automation",
        region="320214",
    )
    o["demand_mes"] = matchmaking.publish_demand(
        ent,
        matchmaking.create_demand(
            ent,
            o["org_a"],
            title="离散车间 MES 与设备维护",
            description="车间 MES 上线，设备预测性维护。",
            category="mes",
            region="320214",
        ),
    )
    # requested by the enterprise, awaiting the provider
    o["intro_requested"] = matchmaking.request_introduction(
        ent, demand=o["demand"], offering=o["offering"], message="请联系我们"
    )
    # suggested by the platform to the enterprise and the bank
    o["intro_suggested"] = matchmaking.suggest_introduction(
        actor["operator"], demand=o["demand"], offering=o["bank_offering"]
    )
    # requested by the provider, accepted with consent on both sides, met, a deal with evidence
    intro = matchmaking.request_introduction(p, demand=o["demand"], offering=o["offering_mes"])
    intro = matchmaking.accept_introduction(ent, intro, share_contact=o["contact_a"])
    matchmaking.grant_consent(p, intro, o["contact_p"])
    intro = matchmaking.record_meeting(ent, intro, note="现场交流")
    o["intro_deal"] = matchmaking.record_deal(
        p, intro, value_yuan="800000", evidence=pdf("合同.pdf")
    )
    o["consent_a"] = intro.consents.get(contact=o["contact_a"])
    # accepted (to meet, consent, close) and met (to record a deal)
    accepted = matchmaking.request_introduction(
        ent, demand=o["demand_mes"], offering=o["offering_spare"]
    )
    o["intro_accepted"] = matchmaking.accept_introduction(p, accepted)
    met = matchmaking.request_introduction(ent, demand=o["demand_mes"], offering=o["offering"])
    met = matchmaking.accept_introduction(p, met)
    o["intro_met"] = matchmaking.record_meeting(p, met, note="首次会面")
    challenge = dict(
        description="0.1 mm 级缺陷在线检测",
        category="machine_vision",
        eligibility={},
        budget_yuan="3000000",
        deadline=dt.date.today() + dt.timedelta(days=60),
    )
    o["challenge_draft"] = matchmaking.create_challenge(
        actor["operator"], title="草稿：焊缝检测", **challenge
    )
    o["challenge"] = matchmaking.set_challenge_state(
        actor["operator"],
        matchmaking.create_challenge(actor["operator"], title="注塑件微小缺陷检测", **challenge),
        "open",
    )
    o["application"] = matchmaking.apply_to_challenge(
        p, o["challenge"], o["provider_org"], proposal="深度学习方案", file=pdf("方案.pdf")
    )

    # --- events: a published expo hosted by the platform (the operator organises it); A is a
    # visitor, the provider an exhibitor with a booth; A asked the provider for a meeting, it
    # was accepted, scheduled and published; A posted a procurement need ---
    op = actor["operator"]
    day = dt.date(2026, 11, 26)
    o["event"] = events.set_event_state(
        op,
        events.create_event(
            op,
            platform,
            title="安全表智能制造大会",
            starts_on=day,
            ends_on=day,
            venue="南京",
            meeting_days=[day],
            meeting_day_start=dt.time(14, 0),
            meeting_day_end=dt.time(15, 0),
        ),
        "published",
    )
    o["session"] = events.add_session(
        op,
        o["event"],
        title="开幕式",
        starts_at=dt.datetime(2026, 11, 26, 9, 0),
        ends_at=dt.datetime(2026, 11, 26, 10, 0),
        room="主会场",
    )
    zone = events.add_zone(op, events.add_hall(op, o["event"], name="智能装备馆"), name="软件区")
    o["booth"] = events.fill_booth(
        p,
        events.assign_booth(op, zone, code="S-01", exhibitor=o["provider_org"]),
        offerings=[o["offering"]],
    )
    o["registration_a"] = events.register(
        ent, o["event"], kind="visitor", organization=o["org_a"], name="安全甲"
    )
    o["registration_p"] = events.register(
        p, o["event"], kind="exhibitor", organization=o["provider_org"], name="安全乙"
    )
    meeting = events.request_meeting(
        ent,
        o["event"],
        requester=o["registration_a"],
        recipient=o["registration_p"],
        reason="视觉检测",
    )
    events.respond_meeting(p, meeting, accept=True)
    events.run_schedule(op, o["event"])
    events.publish_schedule(op, o["event"])
    o["meeting"] = meeting
    o["need"] = events.post_need(
        ent,
        o["event"],
        o["registration_a"],
        title="展会采购：视觉检测",
        description="注塑件缺陷检测",
        category="machine_vision",
        region="320214",
    )
    # closed at once, so that the other apps' counts of published demands stay as they were
    matchmaking.close_demand(ent, o["need"].demand)
    # --- calls (world_calls.py) -----------------------------------------------------------------
    build_calls_world(o, actor, bureau, society)
    # --- cloud classroom (world_classroom.py) ---------------------------------------------------
    build_classroom_world(o, actor, society)
    # --- insights: a draft monthly report with a hand-added activity and a news item -----------
    o["report"] = insights.draft_report(actor["operator"], month=dt.date(2026, 5, 1))
    o["report_activity"] = insights.add_activity(
        actor["operator"], o["report"], section="talent", date=dt.date(2026, 5, 20), title="培训班"
    )
    o["report_news"] = insights.add_news_item(actor["operator"], o["report"], title="示范工厂揭牌")

    # --- expert review: the platform's call with one application past formal review (its
    # applicant is a separate organisation), the world's expert (and a second, free expert
    # membership for the pool's creation form) in the pool; the round assigned, handed to the
    # experts, the expert's review submitted and ranked. ---------------------------------------
    build_review_objects(w, actor, platform)

    # --- notifications -------------------------------------------------------------------------
    o["notification"] = notify(o["org_a"], title="安全表通知", link="/policies/benefits/")
    return w
