from django.urls import path

from .views import expert, pool, rounds

app_name = "review"

urlpatterns = [
    path("experts/", pool.expert_list, name="expert_list"),
    path("experts/new/", pool.expert_new, name="expert_new"),
    path("experts/import/", pool.expert_import, name="expert_import"),
    path("experts/me/", pool.my_profile, name="my_profile"),
    path("experts/<int:pk>/", pool.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", pool.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/past/", pool.expert_past_add, name="expert_past_add"),
    path("experts/<int:pk>/relations/", pool.expert_relation_add, name="expert_relation_add"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/assign/", rounds.round_assign, name="round_assign"),
    path("rounds/<int:pk>/replay/", rounds.round_replay, name="round_replay"),
    path("rounds/<int:pk>/snapshot/", rounds.round_snapshot, name="round_snapshot"),
    path("rounds/<int:pk>/exclusions/", rounds.round_exclusions, name="round_exclusions"),
    path("rounds/<int:pk>/open/", rounds.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/assignments/", rounds.assignment_add, name="assignment_add"),
    path("rounds/<int:pk>/panel/", rounds.panel_decision, name="panel_decision"),
    path("rounds/<int:pk>/appraise/", rounds.round_appraise, name="round_appraise"),
    path("rounds/<int:pk>/availability/", rounds.round_availability, name="round_availability"),
    path("rounds/<int:pk>/ranking/", rounds.round_ranking, name="round_ranking"),
    path("rankings/<int:pk>/propose/", rounds.ranking_propose, name="ranking_propose"),
    path("assignments/<int:pk>/remove/", rounds.assignment_remove, name="assignment_remove"),
    path("mine/", expert.my_assignments, name="my_assignments"),
    path("mine/availability/", expert.my_availability, name="my_availability"),
    path(
        "mine/rounds/<int:pk>/availability/",
        expert.availability_declare,
        name="availability_declare",
    ),
    path("mine/rounds/<int:pk>/bids/", expert.my_bids, name="my_bids"),
    path("mine/<int:pk>/", expert.assignment_detail, name="assignment_detail"),
    path("mine/<int:pk>/recuse/", expert.assignment_recuse, name="assignment_recuse"),
    path("mine/<int:pk>/files/<str:code>/", expert.assignment_file, name="assignment_file"),
]
