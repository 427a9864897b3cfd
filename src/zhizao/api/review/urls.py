from django.urls import path

from . import views

urlpatterns = [
    path("experts/", views.ExpertListApi.as_view(), name="api-review-experts"),
    path("experts/<int:pk>/", views.ExpertDetailApi.as_view(), name="api-review-expert"),
    path("rounds/", views.RoundListApi.as_view(), name="api-review-rounds"),
    path("rounds/<int:pk>/", views.RoundDetailApi.as_view(), name="api-review-round"),
    path("rounds/<int:pk>/assign/", views.RoundAssignApi.as_view(), name="api-review-assign"),
    path(
        "rounds/<int:pk>/assignments/",
        views.RoundAssignmentsApi.as_view(),
        name="api-review-assignments",
    ),
    path(
        "rounds/<int:pk>/exclusions/",
        views.RoundExclusionsApi.as_view(),
        name="api-review-exclusions",
    ),
    path("rounds/<int:pk>/ranking/", views.RoundRankingsApi.as_view(), name="api-review-ranking"),
    path(
        "rankings/<int:pk>/propose/",
        views.RankingProposeApi.as_view(),
        name="api-review-propose",
    ),
    path("mine/", views.MyAssignmentsApi.as_view(), name="api-review-mine"),
    path("mine/<int:pk>/review/", views.MyReviewApi.as_view(), name="api-review-my-review"),
    path(
        "mine/availability/",
        views.MyAvailabilityListApi.as_view(),
        name="api-review-my-availability",
    ),
    path(
        "mine/rounds/<int:pk>/availability/",
        views.MyAvailabilityApi.as_view(),
        name="api-review-my-round-availability",
    ),
    path("mine/rounds/<int:pk>/bids/", views.MyBidListApi.as_view(), name="api-review-my-bids"),
    path(
        "mine/rounds/<int:pk>/bids/<int:application>/",
        views.MyBidApi.as_view(),
        name="api-review-my-bid",
    ),
]
