"""The review pages in both languages, the expert's view (only its assignments, blind to the
applicant), constant query counts on lists, and expert identities never reaching an
applicant or the public."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, make_user
from tests.review.conftest import build_review_world
from zhizao.accounts.enums import Role
from zhizao.review import services
from zhizao.review.models import Assignment, Review, ReviewRound


def login(client, user, lang="zh-hans"):
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = lang


@pytest.fixture
def reviewing(rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    services.open_round(rw.office_actor, rw.round)
    return rw


def _key(w, assignment):
    return next(k for k, e in w.experts.items() if e.pk == assignment.expert_id)


def test_office_reads_an_exclusion_reason_in_both_languages(client, rw):
    services.run_assignment(rw.office_actor, rw.round, method="optimal")
    login(client, rw.office)
    page = client.get(reverse("review:round_exclusions", args=[rw.round.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "回避情况" in text
    assert "评审测试专家甲" in text and "同一单位" in text
    login(client, rw.office, "en")
    text = client.get(reverse("review:round_exclusions", args=[rw.round.pk])).content.decode()
    assert "Exclusions (回避)" in text and "Same organisation" in text
    detail = client.get(reverse("review:round_detail", args=[rw.round.pk]))
    assert detail.status_code == 200
    assert "Send the assignments to the experts" in detail.content.decode()


def test_draw_replay_page_says_same(client, rw):
    services.run_assignment(rw.office_actor, rw.round, method="draw", seed=5, cap="0.9")
    login(client, rw.office)
    text = client.get(reverse("review:round_replay", args=[rw.round.pk])).content.decode()
    assert 'data-testid="replay-same"' in text
    assert "重放得到相同的抽取结果。" in text


def test_expert_sees_only_its_assignments_blind(client, reviewing):
    w = reviewing
    mine = Assignment.objects.filter(round=w.round, state="active").first()
    key = _key(w, mine)
    login(client, w.users[key])
    page = client.get(reverse("review:my_assignments"))
    text = page.content.decode()
    own = set(
        Assignment.objects.filter(expert_id=mine.expert_id, state="active").values_list(
            "pk", flat=True
        )
    )
    for a in Assignment.objects.filter(round=w.round, state="active"):
        link = reverse("review:assignment_detail", args=[a.pk])
        assert (link in text) == (a.pk in own)
    # blind call: no applicant name on the list or the scoring page
    for org in w.orgs.values():
        assert org.name not in text
    detail = client.get(reverse("review:assignment_detail", args=[mine.pk])).content.decode()
    assert all(org.name not in detail for org in w.orgs.values())
    assert "国际领先" in detail  # the banded descriptor
    other = Assignment.objects.filter(round=w.round, state="active").exclude(pk__in=own).first()
    assert client.get(reverse("review:assignment_detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("review:assignment_detail", args=[other.pk]),
        {"score_innovation": "50", "score_impact": "50", "action": "submit"},
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_expert_scores_through_the_page(client, reviewing):
    w = reviewing
    mine = Assignment.objects.filter(round=w.round, state="active").first()
    login(client, w.users[_key(w, mine)])
    url = reverse("review:assignment_detail", args=[mine.pk])
    missing = client.post(url, {"score_innovation": "88", "score_impact": "70", "action": "submit"})
    assert missing.status_code == 400
    assert "“创新性”需要填写评语。" in missing.content.decode()
    done = client.post(
        url,
        {
            "score_innovation": "88",
            "score_impact": "70",
            "comment_innovation": "方案新颖",
            "action": "submit",
        },
    )
    assert done.status_code == 302
    review = Review.objects.get(assignment=mine)
    assert review.state == "submitted"
    assert str(review.total) == "80.8000"


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_keep_a_constant_number_of_queries(client, rw):
    login(client, rw.office)
    _count(client, reverse("review:expert_list"))  # the filter options are read once, then cached
    experts = _count(client, reverse("review:expert_list"))
    rounds = _count(client, reverse("review:round_list"))
    services.create_round(
        rw.office_actor,
        rw.call,
        name="会评",
        kind="panel",
        deadline=rw.round.deadline,
        reviewers_per_application=1,
    )
    for i in range(2):
        user = make_user(f"rv-more-{i}", role=Role.EXPERT, organization=rw.orgs["platform"])
        services.create_expert(rw.office_actor, user.memberships.get(), name=f"更多专家{i}")
    assert _count(client, reverse("review:round_list")) == rounds
    assert _count(client, reverse("review:expert_list")) == experts


def test_my_assignments_constant_queries(client, db):
    w = build_review_world(k=1)
    services.run_assignment(w.office_actor, w.round, method="optimal")
    services.open_round(w.office_actor, w.round)
    counts = {}
    for a in Assignment.objects.filter(round=w.round, state="active"):
        counts.setdefault(a.expert_id, 0)
        counts[a.expert_id] += 1
    by_load = sorted(counts.items(), key=lambda kv: kv[1])
    few, many = by_load[0], by_load[-1]
    users = {e.pk: w.users[k] for k, e in w.experts.items()}
    login(client, users[few[0]])
    n_few = _count(client, reverse("review:my_assignments"))
    client.logout()
    login(client, users[many[0]])
    assert _count(client, reverse("review:my_assignments")) == n_few


# --- expert identities never reach an applicant or the public ---------------------------------


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{prefix}{item.namespace}:" if item.namespace else prefix
            yield from _routes(item, ns)
        elif isinstance(item, URLPattern) and item.name:
            yield f"{prefix}{item.name}", item.pattern


def test_no_applicant_or_public_response_names_an_expert(client, reviewing):
    w = reviewing
    for a in Assignment.objects.filter(round=w.round, state="active"):
        services.save_review(
            w.actor(_key(w, a)),
            a,
            scores={"innovation": "80", "impact": "80"},
            comments={"innovation": "好"},
            submit=True,
        )
    services.rank_round(w.office_actor, w.round, method="mean")
    names = [e.name for e in w.experts.values()]
    ids = sorted(
        {a.pk for a in w.apps}
        | {w.round.pk}
        | set(Assignment.objects.values_list("pk", flat=True))
        | {e.pk for e in w.experts.values()}
    )
    checked = 0
    for who in [None, *w.applicant_users]:
        client.logout()
        if who is not None:
            login(client, who)
        for name, _pattern in _routes():
            if name.startswith(("admin:", "api-docs", "api-schema")) or name in ("api-docs",):
                continue
            # pages without parameters: every one; pages of one object: those of the modules
            # that hold applications, rounds, assignments and experts (elsewhere these ids
            # name unrelated rows, and asking every route for every id cost minutes)
            by_pk = name.startswith(("calls:", "review:", "api-call", "api-review"))
            for kwargs in ({}, *({"pk": i} for i in (ids if by_pk else ()))):
                try:
                    url = reverse(name, kwargs=kwargs)
                except NoReverseMatch:  # the route takes other parameters
                    continue
                response = client.get(url)
                if response.status_code != 200 or getattr(response, "streaming", False):
                    continue
                body = response.content.decode("utf-8", "replace")
                checked += 1
                for expert_name in names:
                    assert expert_name not in body, (who, url)
    assert checked > 20


def test_round_page_keeps_a_constant_number_of_queries(client, db):
    w = build_review_world(k=1)
    services.run_assignment(w.office_actor, w.round, method="optimal")
    login(client, w.office)
    url = reverse("review:round_detail", args=[w.round.pk])
    one = _count(client, url)
    # three experts per application instead of one: more rows, the same queries
    ReviewRound.objects.filter(pk=w.round.pk).update(reviewers_per_application=3)
    services.run_assignment(w.office_actor, w.round, method="optimal")
    assert Assignment.objects.filter(round=w.round).count() == 9
    assert _count(client, url) == one


def _form_fields(call):
    from zhizao.calls.models import FormField

    FormField.objects.create(
        call=call, code="org_name", label="申报单位名称", type="text", prefill="org.name", order=1
    )
    FormField.objects.create(
        call=call, code="uscc", label="统一社会信用代码", type="text", prefill="org.uscc", order=2
    )
    FormField.objects.create(call=call, code="summary", label="成果简介", type="text", order=3)


def test_expert_reads_questions_not_codes_and_a_blind_review_hides_who_applied(client, reviewing):
    w = reviewing
    _form_fields(w.call)
    mine = Assignment.objects.filter(round=w.round, state="active").first()
    app = mine.application
    app.data = {"org_name": app.applicant.name, "uscc": "91320200MA1XXXXX0X", "summary": "视觉引导"}
    app.save(update_fields=["data"])
    login(client, w.users[_key(w, mine)])
    url = reverse("review:assignment_detail", args=[mine.pk])
    text = client.get(url).content.decode()
    assert "<dt>成果简介</dt><dd>视觉引导</dd>" in text
    for hidden in ("<dt>org_name", "<dt>uscc", "<dt>summary", app.applicant.name, "91320200MA1X"):
        assert hidden not in text
    # the score help: 100, never 1E+2
    assert "0 至 100 分；权重 0.6" in text and "E+" not in text
    w.call.blind_review = False
    w.call.save(update_fields=["blind_review"])
    text = client.get(url).content.decode()
    assert "<dt>申报单位名称</dt><dd>" + app.applicant.name + "</dd>" in text
    assert "<dt>统一社会信用代码</dt><dd>91320200MA1XXXXX0X</dd>" in text


def test_other_experts_scores_are_named_by_criterion(client, reviewing):
    w = reviewing
    w.round.visibility = "always"
    w.round.save(update_fields=["visibility"])
    mine, other = Assignment.objects.filter(round=w.round, state="active").order_by("pk")[:2]
    if other.application_id != mine.application_id:
        other = (
            Assignment.objects.filter(application_id=mine.application_id, state="active")
            .exclude(pk=mine.pk)
            .first()
        )
    services.save_review(
        w.actor(_key(w, other)),
        other,
        submit=True,
        scores={"innovation": "90", "impact": "80"},
        comments={"innovation": "好"},
        comment="",
    )
    login(client, w.users[_key(w, mine)])
    text = client.get(reverse("review:assignment_detail", args=[mine.pk])).content.decode()
    assert "<li>创新性: 90</li>" in text and "<li>应用成效: 80</li>" in text
    assert "innovation:" not in text
    # the office's round page: a submitted review reads 已提交 and its total, not 提交时间
    login(client, w.office)
    text = client.get(reverse("review:round_detail", args=[w.round.pk])).content.decode()
    assert "已提交 86.00" in text and "提交时间 86.00" not in text


def test_expert_reads_tables_and_downloads_files_blind_to_who_applied(client, reviewing):
    """The expert reads the whole application: its tables (the applicant's name hidden in
    every cell on a blind review) and its files, saved under the question's name, not the
    applicant's file name; another expert gets 404 for the same file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhizao.calls.models import FormField

    w = reviewing
    call = w.call
    FormField.objects.create(
        call=call,
        code="team",
        label="主要完成人",
        type="table",
        order=4,
        options={"columns": [{"code": "name", "label": "姓名"}, {"code": "unit", "label": "单位"}]},
    )
    FormField.objects.create(
        call=call, code="evidence", label="证明材料", type="file", order=5, options={}
    )
    mine = Assignment.objects.filter(round=w.round, state="active").first()
    app = mine.application
    full = app.applicant.name
    short = full.removesuffix("有限公司")
    app.data = {
        "team": [{"name": "王工", "unit": full}, {"name": "李工", "unit": f"{short}研究院"}]
    }
    app.save(update_fields=["data"])
    body = b"%PDF-1.4 evidence " * 8
    app.files.create(
        field_code="evidence",
        file=SimpleUploadedFile(f"{full}证明.pdf", body, "application/pdf"),
        name=f"{full}证明.pdf",
        size=len(body),
    )
    login(client, w.users[_key(w, mine)])
    text = client.get(reverse("review:assignment_detail", args=[mine.pk])).content.decode()
    table = text.split('data-testid="answer-table"')[1].split("</table>")[0]
    assert '<th scope="col">姓名</th><th scope="col">单位</th>' in table
    assert "<td>王工</td><td>（申报单位）</td>" in table
    assert "<td>李工</td><td>（申报单位）研究院</td>" in table
    assert full not in text and short not in text
    url = reverse("review:assignment_file", args=[mine.pk, "evidence"])
    assert f'<a href="{url}">证明材料</a>' in text
    answer = client.get(url)
    assert b"".join(answer.streaming_content) == body
    assert "%E8%AF%81%E6%98%8E%E6%9D%90%E6%96%99.pdf" in answer["Content-Disposition"]
    # not blind: the table shows the unit as written
    call.blind_review = False
    call.save(update_fields=["blind_review"])
    text = client.get(reverse("review:assignment_detail", args=[mine.pk])).content.decode()
    assert f"<td>王工</td><td>{full}</td>" in text
    # an expert not assigned to this application, and a missing code: 404
    on_app = Assignment.objects.filter(round=w.round, application_id=app.pk, state="active")
    other = (
        Assignment.objects.filter(round=w.round, state="active")
        .exclude(expert_id__in=on_app.values_list("expert_id", flat=True))
        .first()
    )
    login(client, w.users[_key(w, other)])
    assert client.get(url).status_code == 404
    login(client, w.users[_key(w, mine)])
    missing = reverse("review:assignment_file", args=[mine.pk, "nothing"])
    assert client.get(missing).status_code == 404


def test_a_blind_review_hides_every_way_to_reach_the_applicant(client, reviewing):
    """Not only the prefilled name and credit code: the contact person and phone (a field
    without a prefill), a contact column of a table, a business licence file, and phone numbers
    and e-mail addresses written inside free text. Shown again when the call is not blind."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhizao.calls.models import FormField

    w = reviewing
    call = w.call
    FormField.objects.create(call=call, code="contact", label="联系人及电话", type="text", order=1)
    FormField.objects.create(call=call, code="summary", label="成果简介", type="text", order=2)
    FormField.objects.create(call=call, code="budget", label="总投资（元）", type="money", order=3)
    FormField.objects.create(
        call=call,
        code="team",
        label="主要完成人",
        type="table",
        order=4,
        options={
            "columns": [{"code": "name", "label": "姓名"}, {"code": "tel", "label": "联系电话"}]
        },
    )
    FormField.objects.create(
        call=call, code="licence", label="营业执照", type="file", order=5, options={}
    )
    mine = Assignment.objects.filter(round=w.round, state="active").first()
    app = mine.application
    app.data = {
        "contact": "王经理 0510-8000 0000",
        "summary": "咨询请致电 13912345678 或 wang@hongtu.example.cn，座机 (0512)6666 8888。",
        "budget": "15000000000",
        "team": [{"name": "王工", "tel": "025-88886666"}],
    }
    app.save(update_fields=["data"])
    body = b"%PDF-1.4 licence " * 4
    app.files.create(
        field_code="licence",
        file=SimpleUploadedFile("licence.pdf", body, "application/pdf"),
        name="licence.pdf",
        size=len(body),
    )
    login(client, w.users[_key(w, mine)])
    detail = reverse("review:assignment_detail", args=[mine.pk])
    licence = reverse("review:assignment_file", args=[mine.pk, "licence"])
    text = client.get(detail).content.decode()
    assert "<dt>联系人及电话</dt>" not in text and "王经理" not in text
    assert (
        "<dt>成果简介</dt><dd>咨询请致电 （联系方式已隐去） 或 （联系方式已隐去），"
        "座机 （联系方式已隐去）。</dd>"
    ) in text
    assert "<dt>总投资（元）</dt><dd>15000000000</dd>" in text  # an amount is not a phone
    assert "<td>王工</td><td>（联系方式已隐去）</td>" in text
    for leaked in ("0510-8000", "13912345678", "wang@", "6666 8888", "025-88886666"):
        assert leaked not in text
    assert "营业执照" not in text and licence not in text
    assert client.get(licence).status_code == 404
    # not blind: everything as written, the licence downloadable
    call.blind_review = False
    call.save(update_fields=["blind_review"])
    text = client.get(detail).content.decode()
    assert "<dt>联系人及电话</dt><dd>王经理 0510-8000 0000</dd>" in text
    assert "13912345678" in text and "<td>王工</td><td>025-88886666</td>" in text
    assert b"".join(client.get(licence).streaming_content) == body
