from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from zhizao.common import views as common_views

urlpatterns = [
    path("", common_views.HomeView.as_view(), name="home"),
    path("healthz", common_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("zhizao.accounts.urls")),
    path("registry/", include("zhizao.registry.urls")),
    path("diagnosis/", include("zhizao.diagnosis.urls")),
    path("policies/", include("zhizao.policies.urls")),
    path("matchmaking/", include("zhizao.matchmaking.urls")),
    path("events/", include("zhizao.events.urls")),
    path("calls/", include("zhizao.calls.urls")),
    path("review/", include("zhizao.review.urls")),
    path("insights/", include("zhizao.insights.urls")),
    path("classroom/", include("zhizao.classroom.urls")),
    path("notifications/", common_views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read/",
        common_views.NotificationReadView.as_view(),
        name="notifications_read",
    ),
    path("audit/", common_views.AuditLogView.as_view(), name="audit_log"),
    path(
        "regions/options",
        common_views.tree_options,
        {"tree": "region"},
        name="region_options",
    ),
    path(
        "industries/options",
        common_views.tree_options,
        {"tree": "industry"},
        name="industry_options",
    ),
    path("styleguide/", common_views.StyleguideView.as_view(), name="styleguide"),
    path("api/", include("zhizao.api.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "zhizao.common.views.bad_request"
handler403 = "zhizao.common.views.permission_denied"
handler404 = "zhizao.common.views.page_not_found"
handler500 = "zhizao.common.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
