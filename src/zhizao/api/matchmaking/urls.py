from django.urls import path

from . import views

urlpatterns = [
    path("offerings/", views.OfferingListApi.as_view(), name="api-match-offerings"),
    path("offerings/<int:pk>/", views.OfferingDetailApi.as_view(), name="api-match-offering"),
    path(
        "offerings/<int:pk>/cases/",
        views.OfferingCasesApi.as_view(),
        name="api-match-offering-cases",
    ),
    path(
        "offerings/<int:pk>/demands/",
        views.OfferingDemandsApi.as_view(),
        name="api-match-offering-demands",
    ),
    path("demands/", views.DemandListApi.as_view(), name="api-match-demands"),
    path("demands/<int:pk>/", views.DemandDetailApi.as_view(), name="api-match-demand"),
    path(
        "demands/<int:pk>/matches/",
        views.DemandMatchesApi.as_view(),
        name="api-match-demand-matches",
    ),
    path("introductions/", views.IntroductionListApi.as_view(), name="api-match-introductions"),
    path(
        "introductions/<int:pk>/",
        views.IntroductionDetailApi.as_view(),
        name="api-match-introduction",
    ),
    path(
        "introductions/<int:pk>/consent/",
        views.IntroductionConsentApi.as_view(),
        name="api-match-introduction-consent",
    ),
    path(
        "introductions/<int:pk>/<slug:action>/",
        views.IntroductionActionApi.as_view(),
        name="api-match-introduction-action",
    ),
    path("challenges/", views.ChallengeListApi.as_view(), name="api-match-challenges"),
    path("challenges/<int:pk>/", views.ChallengeDetailApi.as_view(), name="api-match-challenge"),
    path(
        "challenges/<int:pk>/state/",
        views.ChallengeStateApi.as_view(),
        name="api-match-challenge-state",
    ),
    path(
        "challenges/<int:pk>/applications/",
        views.ChallengeApplicationsApi.as_view(),
        name="api-match-challenge-applications",
    ),
    path(
        "applications/<int:pk>/review/",
        views.ApplicationReviewApi.as_view(),
        name="api-match-application-review",
    ),
    path("funnel/", views.FunnelApi.as_view(), name="api-match-funnel"),
]
