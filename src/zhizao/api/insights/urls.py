from django.urls import path

from . import views

urlpatterns = [
    path("figures/", views.FiguresApi.as_view(), name="api-insights-figures"),
    path(
        "figures/<str:name>/regions/",
        views.FigureRegionsApi.as_view(),
        name="api-insights-figure-regions",
    ),
    path("reports/<int:pk>/", views.ReportApi.as_view(), name="api-insights-report"),
]
