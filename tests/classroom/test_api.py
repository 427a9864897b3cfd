"""The classroom API calls the same services as the pages: enrol, save the position, resume,
the quiz marked on the server, the certificate listed and checked publicly by its code (name,
course, date, valid only). Another user's enrolment, progress and certificate are 404 and
nothing changes."""

from __future__ import annotations

from tests.classroom.conftest import login, right_answers
from zhizao.classroom.models import Certificate, Enrolment, LessonProgress, QuizAttempt
from zhizao.common.models import AuditEntry

JSON = "application/json"


def post(client, url, body):
    return client.post(url, body, content_type=JSON)


def test_a_learner_enrols_saves_resumes_passes_and_gets_a_checkable_certificate(
    client, world, enterprise_user
):
    login(client, enterprise_user)
    listed = client.get("/api/classroom/courses/?q=机器人").json()
    assert [(c["id"], c["title"], c["society"]) for c in listed["results"]] == [
        (world.course.pk, "工业机器人应用与编程入门", "江苏省机械工程学会")
    ]
    detail = client.get(f"/api/classroom/courses/{world.course.pk}/").json()
    assert [(lesson["title"], lesson["minutes"]) for lesson in detail["lessons"]] == [
        ("机器人基础", 10),
        ("安全规范", 20),
    ]
    # not enrolled: the lesson is closed
    assert client.get(f"/api/classroom/lessons/{world.video_lesson.pk}/").status_code == 404
    made = client.post(f"/api/classroom/courses/{world.course.pk}/enrolment/")
    assert made.status_code == 201
    pk = made.json()["id"]
    again = client.post(f"/api/classroom/courses/{world.course.pk}/enrolment/")
    assert (again.status_code, again.json()["code"]) == (400, "already_enrolled")
    saved = post(
        client,
        f"/api/classroom/enrolments/{pk}/progress/",
        {"lesson": world.video_lesson.pk, "position_seconds": 125},
    )
    assert saved.json() == {
        "lesson": world.video_lesson.pk,
        "position_seconds": 125,
        "completed": False,
    }
    lesson = client.get(f"/api/classroom/lessons/{world.video_lesson.pk}/").json()
    assert (lesson["resume_position"], lesson["video_url"]) == (
        125,
        f"/classroom/lessons/{world.video_lesson.pk}/video/",
    )
    progress = client.get(f"/api/classroom/enrolments/{pk}/").json()["progress"]
    assert (progress["resume_lesson"], progress["resume_position"], progress["percent"]) == (
        world.video_lesson.pk,
        125,
        0,
    )
    for item in (world.video_lesson, world.text_lesson):
        post(
            client,
            f"/api/classroom/enrolments/{pk}/progress/",
            {"lesson": item.pk, "position_seconds": 0, "completed": True},
        )
    quiz = client.get(f"/api/classroom/enrolments/{pk}/quiz/").json()
    assert [len(q["options"]) for q in quiz["questions"]] == [2, 3]
    assert "correct" not in str(quiz)
    wrong = post(
        client,
        f"/api/classroom/enrolments/{pk}/quiz/",
        {"answers": [{"question": quiz["questions"][0]["id"], "options": []}]},
    ).json()
    assert (wrong["score"], wrong["total"], wrong["passed"], wrong["course_completed"]) == (
        0,
        2,
        False,
        False,
    )
    answers = [{"question": q, "options": o} for q, o in right_answers(world.quiz).items()]
    passed = post(client, f"/api/classroom/enrolments/{pk}/quiz/", {"answers": answers}).json()
    assert passed == {
        "score": 2,
        "total": 2,
        "passed": True,
        "explanation": "2 of 2 questions right (100%); passed (pass mark 50%)",
        "course_completed": True,
    }
    client.post(f"/classroom/courses/{world.course.pk}/certificate/")
    certificates = client.get("/api/classroom/certificates/").json()["results"]
    assert [(c["course_title"], c["hours"], c["valid"]) for c in certificates] == [
        ("工业机器人应用与编程入门", "0.5", True)
    ]
    client.logout()
    public = client.get(
        "/api/classroom/certificates/verify/", {"code": certificates[0]["code"].lower()}
    )
    assert public.json() == {
        "found": True,
        "name": Certificate.objects.get().name,
        "course": "工业机器人应用与编程入门",
        "date": certificates[0]["issued_on"],
        "valid": True,
    }
    unknown = client.get("/api/classroom/certificates/verify/", {"code": "ABCD-EFGH"}).json()
    assert unknown == {"found": False, "name": "", "course": "", "date": None, "valid": False}


def test_another_users_enrolment_progress_and_certificate_are_not_found(
    client, world, enterprise_user, colleague
):
    login(client, enterprise_user)
    pk = client.post(f"/api/classroom/courses/{world.course.pk}/enrolment/").json()["id"]
    for item in (world.video_lesson, world.text_lesson):
        post(
            client,
            f"/api/classroom/enrolments/{pk}/progress/",
            {"lesson": item.pk, "position_seconds": 0, "completed": True},
        )
    answers = [{"question": q, "options": o} for q, o in right_answers(world.quiz).items()]
    post(client, f"/api/classroom/enrolments/{pk}/quiz/", {"answers": answers})
    client.post(f"/classroom/courses/{world.course.pk}/certificate/")
    client.logout()
    before = (
        list(LessonProgress.objects.values_list("lesson_id", "position_seconds", "completed")),
        QuizAttempt.objects.count(),
        AuditEntry.objects.count(),
    )
    login(client, colleague)
    refused = [
        client.get(f"/api/classroom/enrolments/{pk}/").status_code,
        post(
            client,
            f"/api/classroom/enrolments/{pk}/progress/",
            {"lesson": world.video_lesson.pk, "position_seconds": 5},
        ).status_code,
        client.get(f"/api/classroom/enrolments/{pk}/quiz/").status_code,
        post(client, f"/api/classroom/enrolments/{pk}/quiz/", {"answers": []}).status_code,
    ]
    assert refused == [404, 404, 404, 404]
    assert client.get("/api/classroom/enrolments/").json()["count"] == 0
    # the colleague's manager view is the pages'; through the API only one's own certificates
    assert client.get("/api/classroom/certificates/").json()["count"] == 0
    assert (
        list(LessonProgress.objects.values_list("lesson_id", "position_seconds", "completed")),
        QuizAttempt.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    assert Enrolment.objects.filter(user=colleague).count() == 0
