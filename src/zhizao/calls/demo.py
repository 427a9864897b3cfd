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
QUALIFIERS = [
    "关键技术研发与应用",
    "系统研制及产业化",
    "平台建设与示范",
    "集成创新与推广",
    "技术攻关",
]
FACTORIES = [
    "新能源汽车零部件智能工厂",
    "高端轴承数字化车间与智能工厂",
    "锂电池电芯智能工厂",
    "光伏组件柔性制造智能工厂",
    "特种钢材全流程智能工厂",
    "医疗器械精密制造智能工厂",
    "工程机械结构件智能工厂",
    "功能性纺织面料智能工厂",
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


def _stages(call, actor, windows: dict) -> None:
    """``{kind: (opens, closes)}``: each stage its own window, as a real call is run."""
    setup.set_stages(
        actor,
        call,
        [{"kind": k, "opens": opens, "closes": closes} for k, (opens, closes) in windows.items()],
    )


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


# this year's 双十: applications and nominations closed, formal review done (two returns still
# within their correction week), the online round running; days from now
CURRENT_STAGES = {
    "apply": (-75, -45),
    "nominate": (-75, -38),
    "formal": (-37, 7),
    "online": (-7, 14),
    "panel": (21, 35),
    "publicity": (42, 56),
    "publish": (60, 90),
}
CURRENT_APPLIED = -60  # days from now: when this year's applications were submitted
CURRENT_NOMINATED = -40
# a past 双十 (month, day) per stage; its 公示 opens 11-02, closes 11-20, the list 11-25
PAST_STAGES = {
    "apply": ((3, 1), (4, 30)),
    "nominate": ((3, 1), (5, 15)),
    "formal": ((5, 16), (6, 15)),
    "online": ((6, 16), (7, 31)),
    "panel": ((8, 15), (9, 15)),
    "publicity": ((11, 2), (11, 20)),
    "publish": ((11, 25), (12, 31)),
}
PAST_APPLIED = (4, 1)
# the smart-factory recognition: applied, reviewed and checked on site; in 公示 from today
FACTORY_STAGES = {
    "apply": (-150, -110),
    "formal": (-109, -80),
    "online": (-79, -60),
    "site": (-59, -20),
    "publicity": (0, 21),
    "publish": (25, 60),
}
FACTORY_APPLIED = -120


def _tech_answers(topic: str, org: Organization) -> dict:
    return {
        "contact": "联系人 0510-8000 0000",
        "summary": f"本项目研制的{topic}，" + "在多家企业应用，显著提升生产效率与质量稳定性，" * 4,
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
        _stages(call, actor, _relative(CURRENT_STAGES))
    else:
        _stages(
            call,
            actor,
            {
                kind: (_at(dt.date(year, *opens)), _at(dt.date(year, *closes), 17))
                for kind, (opens, closes) in PAST_STAGES.items()
            },
        )
    return call


def _relative(windows: dict) -> dict:
    """Days from today to stage windows: each opens at 09:00 and closes at 17:00."""
    today = timezone.localdate()
    return {
        kind: (
            _at(today + dt.timedelta(days=opens)),
            _at(today + dt.timedelta(days=closes), 17),
        )
        for kind, (opens, closes) in windows.items()
    }


def _days_ago(days: int) -> dt.datetime:
    return _at(timezone.localdate() + dt.timedelta(days=days), 10)


def _project_title(i: int) -> str:
    """A project's title (never its applicant's name: reviews are blind)."""
    return f"{TOPICS[i % len(TOPICS)]}{QUALIFIERS[(i // len(TOPICS)) % len(QUALIFIERS)]}"


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
        app = _apply(
            call,
            org,
            _project_title(i + 5 * (year % 2)),
            category=category,
            now=_at(dt.date(year, *PAST_APPLIED), 10),
        )
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
            _project_title(i),
            category=categories[i % len(categories)],
            nominator=society,
            now=_days_ago(CURRENT_APPLIED),
        )
        submitted.append(app)
        if i >= len(targets):
            continue
        try:
            nominated.append(
                nominations.nominate_application(
                    _actor(society, Role.SOCIETY), app, now=_days_ago(CURRENT_NOMINATED)
                )
            )
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
    stages = _relative(FACTORY_STAGES)
    # the 公示 opened this morning
    stages["publicity"] = (_at(timezone.localdate(), 0), stages["publicity"][1])
    _stages(factory_call, officer, stages)
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
            "description": "企业建成覆盖计划、生产、质量、设备的智能工厂，"
            + "关键工序数控化率超过 80%，" * 12,
        }
        app = _to_proposed(
            _apply(
                factory_call,
                org,
                FACTORIES[i % len(FACTORIES)],
                category=category,
                answers=answers,
                now=_days_ago(FACTORY_APPLIED),
            )
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
