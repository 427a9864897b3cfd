from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("export.<str:fmt>", views.OrganizationExportView.as_view(), name="organization_export"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization_new"),
    path("search/", views.OrganizationSearchView.as_view(), name="organization_search"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("<int:pk>/archive/", views.OrganizationArchiveView.as_view(), name="organization_archive"),
    path("<int:pk>/contacts/new/", views.ContactEditView.as_view(), name="contact_new"),
    path(
        "<int:pk>/contacts/<int:contact_id>/", views.ContactEditView.as_view(), name="contact_edit"
    ),
    path("name-changes/", views.NameChangeListView.as_view(), name="name_change_list"),
    path(
        "name-changes/<int:pk>/decide/",
        views.NameChangeDecideView.as_view(),
        name="name_change_decide",
    ),
    path("chains/", views.ChainListView.as_view(), name="chain_list"),
    path("chains/<slug:code>/", views.ChainDetailView.as_view(), name="chain_detail"),
    path("chains/<slug:code>/edit/", views.ChainEditView.as_view(), name="chain_edit"),
    path("chains/<slug:code>/nodes/", views.ChainNodeAddView.as_view(), name="chain_node_add"),
    path(
        "chains/<slug:code>/nodes/<int:node_id>/",
        views.ChainNodeEditView.as_view(),
        name="chain_node_edit",
    ),
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views.ImportNewView.as_view(), name="import_new"),
    path("imports/template.<str:fmt>", views.ImportTemplateView.as_view(), name="import_template"),
    path("imports/<uuid:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path(
        "imports/<uuid:pk>/errors.xlsx", views.ImportErrorReportView.as_view(), name="import_errors"
    ),
]
