from django.urls import path

from .views import learner, live, media, public, reports, society

app_name = "classroom"

urlpatterns = [
    path("", learner.catalogue, name="catalogue"),
    path("verify/", public.verify, name="verify"),
    path("my/", learner.my_learning, name="my_learning"),
    path("courses/<int:pk>/", learner.course_detail, name="course_detail"),
    path("courses/<int:pk>/enrol/", learner.enrol, name="enrol"),
    path("courses/<int:pk>/rate/", learner.rate, name="rate"),
    path("courses/<int:pk>/quiz/", learner.quiz, name="quiz"),
    path("courses/<int:pk>/certificate/", learner.certificate_issue, name="certificate_issue"),
    path("lessons/<int:pk>/", learner.lesson, name="lesson"),
    path("lessons/<int:pk>/progress/", learner.lesson_progress, name="lesson_progress"),
    path("lessons/<int:pk>/video/", media.lesson_video, name="lesson_video"),
    path("certificates/<int:pk>.pdf", learner.certificate_pdf, name="certificate_pdf"),
    # societies and the operator
    path("manage/", society.my_courses, name="my_courses"),
    path("manage/new/", society.course_new, name="course_new"),
    path("manage/<int:pk>/", society.course_edit, name="course_edit"),
    path("manage/<int:pk>/lessons/", society.lesson_new, name="lesson_new"),
    path("manage/<int:pk>/quiz/", society.quiz_edit, name="quiz_edit"),
    path("manage/<int:pk>/state/", society.course_state, name="course_state"),
    path("manage/<int:pk>/live/", live.live_classes, name="live_classes"),
    path("live/<int:pk>/recording/", live.live_recording, name="live_recording"),
    path("live/<int:pk>/join/", live.live_join, name="live_join"),
    path("ratings/<int:pk>/answer/", society.rating_answer, name="rating_answer"),
    # managers and the operator
    path("staff/", reports.staff, name="staff"),
    path("statistics/", reports.statistics, name="statistics"),
]
