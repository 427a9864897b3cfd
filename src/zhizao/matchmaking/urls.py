from django.urls import path

from .views import challenges, financing, introductions, listings, operator, suggestions

app_name = "matchmaking"

urlpatterns = [
    path("", listings.home, name="home"),
    path("demands/", listings.demand_list, name="demand_list"),
    path("demands/new/", listings.demand_new, name="demand_new"),
    path("demands/suggest-category/", listings.category_suggest, name="demand_category_suggest"),
    path("projects/<int:pk>/financing/", financing.project_financing, name="project_financing"),
    path("demands/<int:pk>/", listings.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/edit/", listings.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/state/", listings.demand_state, name="demand_state"),
    path(
        "demands/<int:pk>/request/<int:offering_pk>/",
        listings.demand_request,
        name="demand_request",
    ),
    path("demands/<int:pk>/suggest/", operator.suggest, name="demand_suggest"),
    path("offerings/", listings.offering_list, name="offering_list"),
    path("offerings/new/", listings.offering_new, name="offering_new"),
    path("offerings/<int:pk>/", listings.offering_detail, name="offering_detail"),
    path("offerings/<int:pk>/edit/", listings.offering_edit, name="offering_edit"),
    path("offerings/<int:pk>/state/", listings.offering_state, name="offering_state"),
    path("offerings/<int:pk>/cases/", listings.case_add, name="case_add"),
    path(
        "offerings/<int:pk>/request/<int:demand_pk>/",
        listings.offering_request,
        name="offering_request",
    ),
    path("cases/<int:pk>/delete/", listings.case_delete, name="case_delete"),
    path("introductions/", introductions.introduction_list, name="introduction_list"),
    path("introductions/<int:pk>/", introductions.introduction_detail, name="introduction_detail"),
    path(
        "introductions/<int:pk>/request/",
        introductions.introduction_request,
        name="introduction_request",
    ),
    path(
        "introductions/<int:pk>/accept/",
        introductions.introduction_accept,
        name="introduction_accept",
    ),
    path(
        "introductions/<int:pk>/decline/",
        introductions.introduction_decline,
        name="introduction_decline",
    ),
    path("introductions/<int:pk>/meet/", introductions.introduction_meet, name="introduction_meet"),
    path("introductions/<int:pk>/deal/", introductions.introduction_deal, name="introduction_deal"),
    path("introductions/<int:pk>/evidence/", introductions.deal_evidence, name="deal_evidence"),
    path(
        "introductions/<int:pk>/close/",
        introductions.introduction_close,
        name="introduction_close",
    ),
    path(
        "introductions/<int:pk>/consent/",
        introductions.introduction_consent,
        name="introduction_consent",
    ),
    path("consents/<int:pk>/withdraw/", introductions.consent_withdraw, name="consent_withdraw"),
    path("suggestions/", suggestions.suggestion_settings, name="suggestion_settings"),
    path("funnel/", operator.funnel, name="funnel"),
    path("gaps/", operator.gaps, name="gaps"),
    path("gaps/refresh/", operator.gaps_refresh, name="gaps_refresh"),
    path("challenges/", challenges.challenge_list, name="challenge_list"),
    path("challenges/new/", challenges.challenge_new, name="challenge_new"),
    path("challenges/<int:pk>/", challenges.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/edit/", challenges.challenge_edit, name="challenge_edit"),
    path("challenges/<int:pk>/state/", challenges.challenge_state, name="challenge_state"),
    path("challenges/<int:pk>/apply/", challenges.challenge_apply, name="challenge_apply"),
    path(
        "applications/<int:pk>/review/",
        challenges.application_review,
        name="application_review",
    ),
    path("applications/<int:pk>/file/", challenges.application_file, name="application_file"),
    path("open-challenges/", challenges.challenge_public_list, name="challenge_public_list"),
    path("open-challenges/<int:pk>/", challenges.challenge_public, name="challenge_public"),
]
