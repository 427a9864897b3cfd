"""The report PDF, rendered on the worker and kept in storage by the assessment's content
version: a hash of its answers, its model version, its state and target, the language and the
translation catalogues' version (``common.catalogue``: new ``.mo`` files, a new PDF). A
download of a version already rendered is served from storage; any other asks the worker
(once: a pending mark in the cache) and the page says the PDF is being prepared. Changed
answers give a new version, so a stale PDF is never served; rendering a version removes the
assessment's older files."""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from zhizao.common.catalogue import catalogue_version
from zhizao.common.worker import enqueue_after_commit

from ..models import Assessment
from ..pdf import render_report_pdf
from ..selectors import build_report

PDF_DIR = "diagnosis/report-pdf"
TASK = "zhizao.diagnosis.tasks.render_report_pdf_task"
# A render asked for and not stored within this time is asked for again (its worker died).
PENDING_SECONDS = 300


@dataclass(frozen=True)
class ReportPdf:
    version: str
    name: str  # the storage name
    ready: bool


def report_version(assessment: Assessment, *, language: str, target_level: int | None) -> str:
    """The content version of the assessment's report as the PDF shows it (one query)."""
    answers = list(
        assessment.answers.order_by("requirement_id").values_list(
            "requirement_id", "value", "comment"
        )
    )
    facts = {
        "model": [assessment.model_id, assessment.model.sha256],
        "state": assessment.state,
        "kind": assessment.kind,
        "type": assessment.enterprise_type,
        "submitted": assessment.submitted_at.isoformat() if assessment.submitted_at else "",
        "target": target_level,
        "saved_target": assessment.target_level,
        "language": language,
        # the words of the catalogues the PDF is drawn with (new .mo files: a new PDF)
        "catalogue": catalogue_version(),
        "answers": answers,
    }
    payload = json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _variant(language: str, target_level: int | None) -> str:
    """The part of a file name that one language and target share across versions."""
    return f"{language}-t{target_level or 0}-"


def _name(assessment_id: int, version: str, language: str, target_level: int | None) -> str:
    return f"{PDF_DIR}/{assessment_id}/{_variant(language, target_level)}{version}.pdf"


def _pending_key(assessment_id: int, version: str) -> str:
    return f"diagnosis:report-pdf:{assessment_id}:{version}"


def request_report_pdf(
    assessment: Assessment, *, language: str, target_level: int | None
) -> ReportPdf:
    """The stored PDF of the assessment's current version, or (not ready) the render asked of
    the worker once per version."""
    version = report_version(assessment, language=language, target_level=target_level)
    name = _name(assessment.pk, version, language, target_level)
    if default_storage.exists(name):
        return ReportPdf(version, name, True)
    if cache.add(_pending_key(assessment.pk, version), 1, PENDING_SECONDS):
        enqueue_after_commit(TASK, assessment.pk, language, target_level)
    return ReportPdf(version, name, False)


def render_stored_report_pdf(
    assessment_id: int, language: str, target_level: int | None = None
) -> ReportPdf:
    """Render the assessment's report in ``language`` and store it under its version (nothing
    to do when that version is stored already); the older versions of the same language and
    target are removed."""
    assessment = Assessment.objects.select_related("model", "organization", "provider").get(
        pk=assessment_id
    )
    with translation.override(language):
        version = report_version(assessment, language=language, target_level=target_level)
        name = _name(assessment.pk, version, language, target_level)
        if not default_storage.exists(name):
            data = render_report_pdf(build_report(assessment, target_level=target_level))
            saved = default_storage.save(name, ContentFile(data))
            if saved != name:  # another worker stored the same version meanwhile
                default_storage.delete(saved)
    folder = posixpath.dirname(name)
    keep = posixpath.basename(name)
    _dirs, files = default_storage.listdir(folder)
    for other in files:
        if other != keep and other.startswith(_variant(language, target_level)):
            default_storage.delete(posixpath.join(folder, other))
    cache.delete(_pending_key(assessment.pk, version))
    return ReportPdf(version, name, True)
