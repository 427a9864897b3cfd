"""The report PDF is rendered on the worker once per content version of the assessment and
served from storage afterwards; changed answers make a new version."""

from __future__ import annotations

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.factories import PASSWORD, actor_for
from zhizao.diagnosis import services
from zhizao.diagnosis.pdf import RENDERS
from zhizao.diagnosis.services.reports import PDF_DIR

from .conftest import submitted


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def stored(assessment) -> list[str]:
    folder = f"{PDF_DIR}/{assessment.pk}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


def download(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_first_download_is_prepared_on_the_worker_then_served_from_storage(
    client, cmmm, enterprise_user, factory_org, django_capture_on_commit_callbacks
):
    a = submitted(factory_org, enterprise_user, cmmm, 1)
    login(client, enterprise_user)
    url = reverse("diagnosis:report_pdf", args=[a.pk])
    before = RENDERS[a.pk]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.get(url)
        again = client.get(url)  # asked while it renders: no second render queued
    assert first.status_code == again.status_code == 200
    assert first["Content-Type"].startswith("text/html")
    assert "本报告的 PDF 正在生成" in first.text
    assert '<meta http-equiv="refresh" content="3">' in first.text
    assert f'href="{url}"' in first.text
    assert len(queued) == 1 and RENDERS[a.pk] == before and stored(a) == []
    queued[0]()  # the worker runs the task
    assert RENDERS[a.pk] == before + 1
    assert len(stored(a)) == 1
    body = download(client.get(url))
    assert body.startswith(b"%PDF-")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert download(client.get(url)) == body
    assert queued == [] and RENDERS[a.pk] == before + 1  # served from storage, nothing rendered


@pytest.mark.django_db
def test_changed_answers_make_a_new_version_and_the_old_file_goes(
    client, cmmm, enterprise_user, factory_org, django_capture_on_commit_callbacks
):
    a = services.start_self_assessment(actor_for(enterprise_user), factory_org, cmmm, "discrete")
    first_req = cmmm.parsed().asked("discrete")[0]
    services.save_answer(actor_for(enterprise_user), a, first_req.id, "0.5")
    login(client, enterprise_user)
    url = reverse("diagnosis:report_pdf", args=[a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    old = stored(a)
    before = RENDERS[a.pk]
    download(client.get(url))
    assert RENDERS[a.pk] == before

    a.refresh_from_db()
    version = services.report_version(a, language="zh-hans", target_level=None)
    services.save_answer(actor_for(enterprise_user), a, first_req.id, "1")
    a.refresh_from_db()
    changed = services.report_version(a, language="zh-hans", target_level=None)
    assert changed != version
    with django_capture_on_commit_callbacks(execute=False) as queued:
        pending = client.get(url)
    assert "本报告的 PDF 正在生成" in pending.text and len(queued) == 1
    queued[0]()
    assert RENDERS[a.pk] == before + 1
    new = stored(a)
    assert len(old) == len(new) == 1 and old != new and changed in new[0]
    assert download(client.get(url)).startswith(b"%PDF-")


@pytest.mark.django_db
def test_each_language_and_target_has_its_own_file(cmmm, enterprise_user, factory_org):
    a = submitted(factory_org, enterprise_user, cmmm, 1)
    variants = [("zh-hans", None), ("en", None), ("zh-hans", 3)]
    versions = {v: services.report_version(a, language=v[0], target_level=v[1]) for v in variants}
    assert len(set(versions.values())) == 3
    before = RENDERS[a.pk]
    for language, target in variants:
        services.render_stored_report_pdf(a.pk, language, target)
    services.render_stored_report_pdf(a.pk, "en", None)  # stored already: nothing to do
    assert RENDERS[a.pk] == before + 3
    assert stored(a) == sorted(
        f"{language}-t{target or 0}-{versions[(language, target)]}.pdf"
        for language, target in variants
    )
    with default_storage.open(f"{PDF_DIR}/{a.pk}/en-t0-{versions[('en', None)]}.pdf") as f:
        text = pypdf.PdfReader(f).pages[0].extract_text()
    assert "maturity diagnosis report" in text.lower()
