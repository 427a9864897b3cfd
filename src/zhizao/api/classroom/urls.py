from django.urls import path

from . import views

urlpatterns = [
    path("courses/", views.CourseListApi.as_view(), name="api-classroom-courses"),
    path("courses/<int:pk>/", views.CourseDetailApi.as_view(), name="api-classroom-course"),
    path("courses/<int:pk>/enrolment/", views.EnrolApi.as_view(), name="api-classroom-enrol"),
    path(
        "courses/<int:pk>/live-classes/",
        views.LiveClassListApi.as_view(),
        name="api-classroom-live-classes",
    ),
    path(
        "live-classes/<int:pk>/join/",
        views.LiveClassJoinApi.as_view(),
        name="api-classroom-live-class-join",
    ),
    path("lessons/<int:pk>/", views.LessonDetailApi.as_view(), name="api-classroom-lesson"),
    path("enrolments/", views.EnrolmentListApi.as_view(), name="api-classroom-enrolments"),
    path(
        "enrolments/<int:pk>/",
        views.EnrolmentDetailApi.as_view(),
        name="api-classroom-enrolment",
    ),
    path(
        "enrolments/<int:pk>/progress/",
        views.ProgressApi.as_view(),
        name="api-classroom-progress",
    ),
    path("enrolments/<int:pk>/quiz/", views.QuizApi.as_view(), name="api-classroom-quiz"),
    path(
        "certificates/",
        views.CertificateListApi.as_view(),
        name="api-classroom-certificates",
    ),
    path(
        "certificates/verify/",
        views.CertificateVerifyApi.as_view(),
        name="api-classroom-certificate-verify",
    ),
]
