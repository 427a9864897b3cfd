"""Videos in an S3-compatible store, against a real S3 API: moto's standalone server on a free
port (a thread of this process, speaking HTTP like any S3 store). The society uploads through
the lesson form; the object lands in the bucket with exactly the bytes; a learner's video
request is answered with a 302 to a presigned URL (no bytes through the web worker) that the
store answers with a 206 for a range; a viewer who may not see the lesson gets 404 and no URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tests.classroom.conftest import VIDEO_BYTES, login, webm
from tests.factories import actor_for
from zhizao.classroom import services
from zhizao.classroom.checks import video_store
from zhizao.classroom.models import Lesson
from zhizao.classroom.storage import signed_url, video_storage

BUCKET = "zhizao-classroom-test"
KEYS = {"access_key": "test-key", "secret_key": "test-secret"}  # moto accepts any


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(settings, s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    fetch(f"{s3_endpoint}/moto-api/reset", method="POST").close()
    client.create_bucket(Bucket=BUCKET)
    # The options settings.py builds from ZHIZAO_CLASSROOM_S3_* (ZHIZAO_CLASSROOM_S3_BUCKET set).
    settings.STORAGES = {
        **settings.STORAGES,
        "classroom-s3": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                **KEYS,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    settings.ZHIZAO_CLASSROOM_STORAGE = "classroom-s3"
    settings.ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS = 180
    return client


def fetch(url: str, **kwargs):
    """Ask the moto server (only http://127.0.0.1 addresses of this test) with urllib."""
    assert url.startswith("http://127.0.0.1:")
    return urllib.request.urlopen(urllib.request.Request(url, **kwargs))  # noqa: S310


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


@pytest.fixture
def uploaded(client, s3_bucket, world, society_a_user):
    """The society uploads a lesson video through the page; returns the lesson."""
    data = VIDEO_BYTES + b"s3-only tail"
    login(client, society_a_user)
    response = client.post(
        reverse("classroom:lesson_new", args=[world.course.pk]),
        {"title": "离线编程", "minutes": 15, "video": webm("offline.webm", data)},
    )
    assert response.status_code == 302
    client.logout()
    return Lesson.objects.get(title="离线编程")


def test_the_upload_lands_in_the_bucket_with_exactly_its_bytes(s3_bucket, uploaded):
    key = f"classroom/videos/{uploaded.course_id}/lesson-2.webm"  # named by the service
    assert uploaded.video.name == key
    assert objects(s3_bucket) == {
        f"classroom/videos/{uploaded.course_id}/lesson-0.webm": VIDEO_BYTES,  # the fixture's
        key: VIDEO_BYTES + b"s3-only tail",
    }
    head = s3_bucket.head_object(Bucket=BUCKET, Key=key)
    assert (head["ContentType"], head["ContentLength"]) == ("video/webm", len(VIDEO_BYTES) + 12)
    assert (uploaded.video_type, uploaded.video_size) == ("video/webm", len(VIDEO_BYTES) + 12)


def test_a_learner_is_redirected_to_a_presigned_url_that_serves_ranges(
    client, s3_endpoint, uploaded, world, enterprise_user
):
    services.enrol(actor_for(enterprise_user), world.course)
    login(client, enterprise_user)
    response = client.get(reverse("classroom:lesson_video", args=[uploaded.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert not hasattr(response, "streaming_content")
    url = response["Location"]
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == s3_endpoint
    assert parts.path == f"/{BUCKET}/{uploaded.video.name}"
    assert query["X-Amz-Expires"] == ["180"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    with fetch(url, headers={"Range": "bytes=10-19"}) as answer:
        assert answer.status == 206
        assert answer.headers["Content-Range"] == f"bytes 10-19/{len(VIDEO_BYTES) + 12}"
        assert answer.read() == VIDEO_BYTES[10:20]


def test_the_course_society_is_redirected_too(client, uploaded, society_a_user):
    login(client, society_a_user)
    response = client.get(reverse("classroom:lesson_video", args=[uploaded.pk]))
    assert response.status_code == 302
    with fetch(response["Location"]) as answer:
        assert answer.read() == VIDEO_BYTES + b"s3-only tail"


def test_a_viewer_who_may_not_see_the_lesson_gets_404_and_no_url(
    client,
    s3_endpoint,
    uploaded,
    world,
    enterprise_user,
    colleague,
    other_enterprise_user,
    society_b_user,
):
    services.enrol(actor_for(enterprise_user), world.course)  # someone else is enrolled
    path = reverse("classroom:lesson_video", args=[uploaded.pk])
    for user in (colleague, other_enterprise_user, society_b_user):
        client.logout()
        login(client, user)
        response = client.get(path, headers={"Range": "bytes=10-19"})
        assert response.status_code == 404
        assert "Location" not in response
        assert b"X-Amz" not in response.content
        assert s3_endpoint.encode() not in response.content
    client.logout()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_local_folder_gives_no_signed_url_so_the_view_serves_ranges(world):
    assert video_storage.__class__.__name__ == "FileSystemStorage"
    assert signed_url(video_storage, world.video_lesson.video.name, 60) is None


SRC = Path(__file__).resolve().parents[2] / "src"
PRODUCTION_CHECK = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps([settings.ZHIZAO_CLASSROOM_STORAGE, settings.STORAGES["classroom-s3"]]))
"""


def test_production_settings_build_the_bucket_from_the_environment_without_a_warning(tmp_path):
    # A clean environment: a deployment's, not this test run's (pytest sets DJANGO_* flags).
    env = {
        **{key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ},
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "zhizao.settings",
        "ZHIZAO_ENV": "production",
        "ZHIZAO_SECRET_KEY": "x" * 20 + "-production-check-" + "y" * 30,
        "ZHIZAO_ALLOWED_HOSTS": "zhizao.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ZHIZAO_DATA_DIR": str(tmp_path),
        "ZHIZAO_CLASSROOM_S3_BUCKET": "imac-videos",
        "ZHIZAO_CLASSROOM_S3_ENDPOINT_URL": "https://oss.example.cn",
        "ZHIZAO_CLASSROOM_S3_REGION": "cn-east-1",
        "ZHIZAO_CLASSROOM_S3_ACCESS_KEY_ID": "AK",
        "ZHIZAO_CLASSROOM_S3_SECRET_ACCESS_KEY": "SK",
        "ZHIZAO_CLASSROOM_S3_ADDRESSING_STYLE": "path",
        "ZHIZAO_CLASSROOM_S3_PREFIX": "classroom-prod",
        "ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS": "240",
    }
    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_CHECK],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    alias, config = json.loads(done.stdout.strip().splitlines()[-1])
    assert alias == "classroom-s3"
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert {key: options[key] for key in sorted(options)} == {
        "access_key": "AK",
        "addressing_style": "path",
        "bucket_name": "imac-videos",
        "cloudfront_key": None,
        "cloudfront_key_id": None,
        "custom_domain": None,
        "default_acl": None,
        "endpoint_url": "https://oss.example.cn",
        "file_overwrite": False,
        "location": "classroom-prod",
        "querystring_auth": True,
        "querystring_expire": 240,
        "region_name": "cn-east-1",
        "secret_key": "SK",
        "signature_version": "s3v4",
    }


def test_the_checks_name_a_bucket_whose_urls_cannot_be_signed_and_a_missing_alias(settings):
    assert video_store(None) == []
    settings.STORAGES = {
        **settings.STORAGES,
        "classroom-s3": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "custom_domain": "cdn.example.cn"},
        },
    }
    settings.ZHIZAO_CLASSROOM_STORAGE = "classroom-s3"
    assert [check.id for check in video_store(None)] == ["classroom.W001"]
    settings.STORAGES["classroom-s3"]["OPTIONS"]["cloudfront_key_id"] = "K2JCJMDEHXQW5F"
    assert video_store(None) == []
    settings.ZHIZAO_CLASSROOM_STORAGE = "elsewhere"
    assert [check.id for check in video_store(None)] == ["classroom.E001"]
