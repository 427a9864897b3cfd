"""Demo data for calls: this year's 双十 selection (14 member societies nominate within their
quotas, one nomination refused; formal review done with two applications returned for
correction; the rest ready for the online review round), a provincial smart-factory
recognition in 公示 with one objection being handled, and the 双十 catalogues of the two
previous years (their titles show in the winners' 我的政策). Everything is written through the
services; idempotent (nothing happens when calls exist)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhizao.accounts.demo import DEMO_PASSWORD, _fixed_org, _organization_for
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership, User
from zhizao.common.audit import Actor
from zhizao.registry.models import Organization

from .errors import CallError
from .models import Call, VerifiedIdentity
from .services import applications as apps
from .services import calls as setup
from .services import catalogues, formal, nominations, publicity

SYSTEM = Actor(extra={"source": "demo"})
SOCIETIES = [
    "江苏省机械工程学会",
    "江苏省自动化学会",
    "江苏省仪器仪表学会",
    "江苏省电子学会",
    "江苏省计算机学会",
    "江苏省人工智能学会",
    "江苏省电机工程学会",
    "江苏省化工学会",
    "江苏省纺织工程学会",
    "江苏省汽车工程学会",
    "江苏省材料学会",
    "江苏省质量协会",
    "江苏省软件行业协会",
    "江苏省通信学会",
]
TOPICS = [
    "基于数字孪生的柔性产线调度",
    "工业互联网标识解析二级节点应用",
    "高端数控机床热误差补偿",
    "机器视觉焊缝缺陷在线检测",
    "离散制造 APS 高级排产",
    "注塑成型工艺参数自优化",
    "设备预测性维护平台",
    "5G+边缘计算的车间数据采集",
    "智能仓储 AGV 集群调度",
    "锂电池极片缺陷 AI 检测",
    "纺织印染能耗智能管控",
    "工业机器人离线编程与仿真",
]


def _actor(org: Organization, role: str, user=None) -> Actor:
    return Actor(
        user=user,
        organization_id=org.pk,
        organization_name=org.name,
        role=role,
        extra={"source": "demo"},
    )


def _society_orgs() -> list[Organization]:
    first = _organization_for("society")
    out = [first]
    for i, name in enumerate(SOCIETIES):
        if len(out) == 14:
            break
        if name == first.name:
            continue
        out.append(_fixed_org(name, "society", "320102", 991000 + i))
    for i, org in enumerate(out):
        user, _ = User.objects.get_or_create(
            username=f"society{i + 1:02d}", defaults={"display_name": f"{org.name}秘书处"}
        )
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organization=org, role=Role.SOCIETY)
    return out


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("佐证材料.pdf", b"%PDF-1.4\n% demo\n" + b"0" * 512, "application/pdf")


def _window(call, actor, kinds, start, end):
    setup.set_stages(actor, call, [{"kind": k, "opens": start, "closes": end} for k in kinds])


def _tech_answers(topic: str, org: Organization) -> dict:
    return {
        "contact": "联系人 0510-8000 0000",
        "summary": f"{org.name}研制的{topic}，"
        + "在多家企业应用，显著提升生产效率与质量稳定性，" * 4,
        "innovation": f"{topic}的关键算法与工程化方法",
        "completion_date": "2026-03-31",
        "team": [{"name": "项目负责人", "unit": org.name, "role": "总体设计"}],
    }


def _applicants(n: int, exclude=()) -> list[Organization]:
    return list(
        Organization.objects.filter(is_active=True, kind__in=["manufacturer", "provider"])
        .exclude(pk__in=[o.pk for o in exclude])
        .order_by("id")[:n]
    )


def _apply(call, org, title, *, category, nominator=None, answers=None, now=None):
    role = Role.PROVIDER if org.kind == "provider" else Role.ENTERPRISE
    actor = _actor(org, role)
    app = apps.start_application(
        actor, call, title=title, category=category, nominator=nominator, now=now
    )
    for code, value in (answers or _tech_answers(title, org)).items():
        apps.save_answer(actor, app, code=code, value=value)
    for field in call.fields.filter(type="file"):
        apps.add_file(actor, app, code=field.code, upload=_pdf())
    return apps.submit_application(actor, app, now=now)


def _tech_call(host, year: int, actor, *, open_now: bool) -> Call:
    call = setup.create_call(
        actor,
        host=host,
        title=f"{year}年度智能制造十大科技进展",
        year=year,
        template="tech_advance",
    )
    if open_now:
        now = timezone.now()
        _window(
            call,
            actor,
            ["apply", "nominate", "formal", "online", "panel", "publicity", "publish"],
            now - dt.timedelta(days=30),
            now + dt.timedelta(days=30),
        )
    else:
        start = timezone.make_aware(dt.datetime(year, 3, 1))
        _window(
            call,
            actor,
            ["apply", "nominate", "formal", "online", "panel", "publicity", "publish"],
            start,
            start + dt.timedelta(days=3650 * 3),
        )
    return call


def _to_proposed(app):
    for state in ("formal_passed", "in_review", "proposed"):
        if app.state != state:
            app = apps.set_application_state(SYSTEM, app, to=state)
    return app


def _past_catalogue(host, year: int, actor, winners: list[Organization]) -> None:
    call = _tech_call(host, year, actor, open_now=False)
    setup.update_call(actor, call, {"requires_nomination": False})
    setup.set_call_state(actor, call, to="open")
    call.refresh_from_db()
    category = call.categories.get(code="application")
    entries = []
    for i, org in enumerate(winners):
        app = _apply(call, org, f"{TOPICS[i % len(TOPICS)]}（{year}）", category=category)
        app = _to_proposed(app)
        entries.append({"application_id": app.pk, "rank": i + 1, "score": str(95 - i)})
    row = publicity.open_publicity(actor, call, entries, today=dt.date(year, 11, 2))
    publicity.close_publicity(actor, row, today=dt.date(year, 11, 20))
    catalogues.publish_catalogue(
        actor,
        call,
        reference=f"苏智联〔{year}〕12号",
        today=dt.date(year, 11, 25),
        title=f"{year}年度智能制造十大科技进展名单",
    )


@transaction.atomic
def load_calls_demo(*, applications: int = 60) -> dict:
    if Call.objects.exists():
        return {"existing": Call.objects.count()}
    year = timezone.localdate().year
    alliance = _organization_for("platform")
    bureau = _organization_for("bureau")
    office = _actor(alliance, Role.OPERATOR)
    officer = _actor(bureau, Role.OFFICER)
    societies = _society_orgs()
    enterprise = _organization_for("manufacturer")

    # --- the two previous years' catalogues ----------------------------------------------------
    pool = _applicants(applications + 30, exclude=[enterprise])
    _past_catalogue(alliance, year - 2, office, pool[40:50])
    _past_catalogue(alliance, year - 1, office, [enterprise, *pool[50:59]])

    # --- this year's 双十: nominations, formal review ------------------------------------------
    call = _tech_call(alliance, year, office, open_now=True)
    for org in societies:
        setup.set_quota(office, call, nominator=org, quota=4)
    setup.set_call_state(office, call, to="open")
    call.refresh_from_db()
    categories = list(call.categories.all())
    # society 1 has five addressed to it (quota 4: one refused), the others four each; the
    # last few wait for their body's decision
    targets = [0] * 5 + [k for k in range(1, 14) for _ in range(4)]
    submitted, nominated, refused = [], [], 0
    for i, org in enumerate(pool[:applications]):
        society = societies[targets[i] if i < len(targets) else 1 + i % 13]
        app = _apply(
            call,
            org,
            f"{TOPICS[i % len(TOPICS)]}·{org.name[:6]}",
            category=categories[i % len(categories)],
            nominator=society,
        )
        submitted.append(app)
        if i >= len(targets):
            continue
        try:
            nominated.append(nominations.nominate_application(_actor(society, Role.SOCIETY), app))
        except CallError as error:
            if error.code != "quota_full":
                raise
            refused += 1
    returned = 0
    for app in nominated:
        if returned < 2:
            formal.return_for_correction(
                office,
                app,
                request="请补充第三方检测报告（盖章）及完成人签字页。",
                deadline=timezone.now() + dt.timedelta(days=7),
            )
            returned += 1
            continue
        formal.set_checklist(office, app, {"seal": True, "consistent": True, "authentic": True})
        formal.pass_formal_review(office, app)

    # --- the provincial smart-factory recognition, in 公示 ---------------------------------------
    factory_call = setup.create_call(
        officer,
        host=bureau,
        title=f"{year}年江苏省智能制造示范工厂认定",
        year=year,
        template="smart_factory",
    )
    now = timezone.now()
    _window(
        factory_call,
        officer,
        ["apply", "formal", "online", "site", "publicity", "publish"],
        now - dt.timedelta(days=120),
        now + dt.timedelta(days=60),
    )
    setup.update_call(officer, factory_call, {"requires_nomination": False})
    setup.set_eligibility(officer, factory_call, {})
    setup.set_call_state(officer, factory_call, to="open")
    factory_call.refresh_from_db()
    category = factory_call.categories.first()
    entries = []
    for i, org in enumerate(pool[applications : applications + 8]):
        answers = {
            "contact": "联系人 025-8000 0000",
            "revenue": "350000000",
            "maturity_level": "3",
            "investment": "42000000",
            "scenarios": ["计划调度", "质量管控", "设备管理"],
            "description": f"{org.name}建成覆盖计划、生产、质量、设备的智能工厂，"
            + "关键工序数控化率超过 80%，" * 12,
        }
        app = _to_proposed(
            _apply(factory_call, org, f"{org.name}智能工厂", category=category, answers=answers)
        )
        entries.append({"application_id": app.pk, "rank": i + 1, "score": str(92 - i)})
    row = publicity.open_publicity(
        officer, factory_call, entries, contact="省工信厅智能制造处 025-0000 0000"
    )
    objector = User.objects.filter(username="bank").first()
    if objector is not None:
        membership = objector.memberships.select_related("organization").first()
        # only a verified identity files an objection: the demo's operator checked this one
        if not VerifiedIdentity.objects.filter(user=objector).exists():
            publicity.set_identity_verified(
                SYSTEM,
                objector,
                verified=True,
                real_name="刘行长",
                note="演示：营业执照与身份证件已核验",
            )
        listed = row.entries.order_by("rank").first().application
        publicity.file_objection(
            _actor(membership.organization, membership.role, user=objector),
            row,
            listed,
            name="刘行长",
            body="该企业申报材料中的数控化率与我行贷后检查数据不一致，请核实。",
            today=row.opens_on,
        )
    return {
        "calls": Call.objects.count(),
        "applications": len(submitted),
        "nominated": len(nominated),
        "refused": refused,
        "returned": returned,
        "publicity": len(entries),
    }
