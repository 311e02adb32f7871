from django.urls import path

from portal.strategy import views

app_name = "strategy"

urlpatterns = [
    path("good-practice/", views.good_practice, name="good_practice"),
    # Before the detail page: no approach may have the slug "staff" (views.unique_slug).
    path("good-practice/staff/", views.staff_approaches, name="staff_approaches"),
    path("good-practice/staff/add/", views.staff_approach_add, name="staff_approach_add"),
    path("good-practice/staff/<slug:slug>/edit/", views.staff_approach_edit, name="staff_approach_edit"),
    path("good-practice/<slug:slug>/", views.approach, name="approach"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("strategy/", views.public_strategy, name="public_strategy"),
    path("strategy/<str:name>", views.public_strategy_document, name="public_strategy_document"),
    path("strategy/staff/", views.staff_strategies, name="staff_strategies"),
    path("strategy/staff/<int:pk>/", views.staff_strategy, name="staff_strategy"),
    path("strategy/staff/<int:pk>/agree/", views.staff_strategy_agree, name="staff_strategy_agree"),
    path("strategy/staff/<int:pk>/board-pack/", views.staff_board_pack, name="staff_board_pack"),
    path("strategy/staff/<int:pk>/documents/<str:name>", views.staff_strategy_document, name="staff_document"),
    path("strategy/staff/<int:pk>/needs/<int:need_pk>/actions/add/", views.staff_action_add, name="staff_action_add"),
    path("strategy/staff/<int:pk>/actions/<int:action_pk>/edit/", views.staff_action_edit, name="staff_action_edit"),
    path(
        "strategy/staff/<int:pk>/actions/<int:action_pk>/evaluation/",
        views.staff_action_evaluation,
        name="staff_action_evaluation",
    ),
]
