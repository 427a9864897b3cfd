"""The calls part of the security world: the city bureau (``officer``) runs three calls; the
member society (``society``) nominates; enterprise A applies.

- ``call``: open, every stage window wide open, the society's quota 2; ``call_app``: A's
  complete application addressed to the society, submitted (seen by A, the society, the
  bureau and operators; B, provider, bank and expert see nothing of it)
- ``draft_app``: A's draft in ``call``
- ``pcall``: in 公示 with A's application listed and ``objection`` filed by B (open)
- ``catalogue``: the published catalogue of ``ccall``"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhizao.calls.services import applications as calls_apps
from zhizao.calls.services import calls as calls_setup
from zhizao.calls.services import catalogues, publicity
from zhizao.common.audit import Actor

SYSTEM = Actor(extra={"via": "security world"})
ANSWERS = {
    "contact": "张工 0510-88886666",
    "summary": "面向离散制造的自适应排产与质量追溯系统。" * 8,
    "innovation": "在线排产",
    "completion_date": "2026-03-31",
    "team": [{"name": "张三", "unit": "无锡安全甲", "role": "负责人"}],
}


def _call(actor, bureau, society, title):
    call = calls_setup.create_call(
        actor, host=bureau, title=title, year=2026, template="tech_advance"
    )
    far = timezone.now()
    calls_setup.set_stages(
        actor,
        call,
        [
            {
                "kind": k,
                "opens": far - dt.timedelta(days=3650),
                "closes": far + dt.timedelta(days=3650),
            }
            for k in ("apply", "nominate", "formal", "online", "publicity", "publish")
        ],
    )
    calls_setup.set_quota(actor, call, nominator=society, quota=2)
    return calls_setup.set_call_state(actor, call, to="open")


def _application(ent_actor, call, society, title):
    app = calls_apps.start_application(
        ent_actor,
        call,
        title=title,
        category=call.categories.get(code="application"),
        nominator=society,
    )
    for code, value in ANSWERS.items():
        calls_apps.save_answer(ent_actor, app, code=code, value=value)
    calls_apps.add_file(
        ent_actor,
        app,
        code="evidence",
        upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x" * 10, "application/pdf"),
    )
    return calls_apps.submit_application(ent_actor, app)


def _to_proposed(app):
    for state in ("nominated", "formal_passed", "in_review", "proposed"):
        app = calls_apps.set_application_state(SYSTEM, app, to=state)
    return app


def build_calls_world(o, actor, bureau, society):
    officer, ent = actor["officer"], actor["ent_a"]
    o["call"] = _call(officer, bureau, society, "安全表十大科技进展征集")
    o["call_app"] = _application(ent, o["call"], society, "安全表排产系统")
    o["draft_app"] = calls_apps.start_application(
        ent,
        o["call"],
        title="安全表草稿项目",
        category=o["call"].categories.get(code="basic"),
        nominator=society,
    )
    # one named exclusion (回避申请), so that withdrawing it has something to withdraw
    o["draft_app"] = calls_apps.set_named_exclusions(
        ent,
        o["draft_app"],
        [{"kind": "expert", "name": "李四", "reason": "导师"}],
    )
    o["pcall"] = _call(officer, bureau, society, "安全表公示中的征集")
    listed = _to_proposed(_application(ent, o["pcall"], society, "安全表公示项目"))
    o["publicity"] = publicity.open_publicity(
        officer, o["pcall"], [{"application_id": listed.pk, "rank": 1, "score": "90"}]
    )
    # every member's identity verified (实名核验), so that any member may file an objection
    for member in actor.values():
        if member.user is not None:
            publicity.set_identity_verified(
                SYSTEM, member.user, verified=True, real_name=str(member.user)
            )
    o["objection"] = publicity.file_objection(
        actor["ent_b"], o["publicity"], listed, name="安全乙", body="数据不实"
    )
    ccall = _call(officer, bureau, society, "安全表已发布的征集")
    done = _to_proposed(_application(ent, ccall, society, "安全表入选项目"))
    row = publicity.open_publicity(
        officer,
        ccall,
        [{"application_id": done.pk, "rank": 1, "score": "95"}],
        today=dt.date(2026, 6, 1),
    )
    publicity.close_publicity(officer, row, today=dt.date(2026, 6, 30))
    o["catalogue"] = catalogues.publish_catalogue(officer, ccall, today=dt.date(2026, 7, 1))
