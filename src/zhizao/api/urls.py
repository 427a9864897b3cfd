from django.conf import settings
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .accounts import views as accounts
from .diagnosis import views as diagnosis
from .registry import views as registry

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI (vendored by drf-spectacular-sidecar) sets inline styles; this page alone
    # allows them. Scripts stay 'self' only.
    path(
        "docs/",
        csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("token/", accounts.TokenObtainApi.as_view(), name="api-token"),
    path("accounts/me/", accounts.MeApi.as_view(), name="api-me"),
    path("accounts/tokens/", accounts.TokenListApi.as_view(), name="api-tokens"),
    path("accounts/tokens/<int:pk>/", accounts.TokenDetailApi.as_view(), name="api-token-detail"),
    path(
        "accounts/tokens/<int:pk>/rotate/",
        accounts.TokenRotateApi.as_view(),
        name="api-token-rotate",
    ),
    path(
        "registry/organizations/", registry.OrganizationListApi.as_view(), name="api-organizations"
    ),
    path(
        "registry/organizations/<int:pk>/",
        registry.OrganizationDetailApi.as_view(),
        name="api-organization",
    ),
    path(
        "registry/organizations/<int:pk>/contacts/",
        registry.OrganizationContactsApi.as_view(),
        name="api-organization-contacts",
    ),
    path(
        "registry/organizations/<int:pk>/history/",
        registry.OrganizationHistoryApi.as_view(),
        name="api-organization-history",
    ),
    path("registry/chains/", registry.ChainListApi.as_view(), name="api-chains"),
    path("registry/chains/<slug:code>/", registry.ChainDetailApi.as_view(), name="api-chain"),
    path("registry/imports/", registry.ImportCreateApi.as_view(), name="api-imports"),
    path("registry/imports/<uuid:pk>/", registry.ImportDetailApi.as_view(), name="api-import"),
    path(
        "registry/imports/<uuid:pk>/commit/",
        registry.ImportCommitApi.as_view(),
        name="api-import-commit",
    ),
    path("policies/", include("zhizao.api.policies.urls")),
    path("matchmaking/", include("zhizao.api.matchmaking.urls")),
    path("events/", include("zhizao.api.events")),
    path("classroom/", include("zhizao.api.classroom.urls")),
    path("calls/", include("zhizao.api.calls.urls")),
    path("review/", include("zhizao.api.review.urls")),
    path("insights/", include("zhizao.api.insights.urls")),
    path("diagnosis/models/", diagnosis.ModelListApi.as_view(), name="api-diagnosis-models"),
    path(
        "diagnosis/models/<slug:key>/",
        diagnosis.ModelDetailApi.as_view(),
        name="api-diagnosis-model",
    ),
    path(
        "diagnosis/assessments/",
        diagnosis.AssessmentListApi.as_view(),
        name="api-diagnosis-assessments",
    ),
    path(
        "diagnosis/assessments/<int:pk>/",
        diagnosis.AssessmentDetailApi.as_view(),
        name="api-diagnosis-assessment",
    ),
    path(
        "diagnosis/assessments/<int:pk>/answers/",
        diagnosis.AnswersApi.as_view(),
        name="api-diagnosis-answers",
    ),
    path(
        "diagnosis/assessments/<int:pk>/submit/",
        diagnosis.SubmitApi.as_view(),
        name="api-diagnosis-submit",
    ),
    path(
        "diagnosis/assessments/<int:pk>/report/",
        diagnosis.ReportApi.as_view(),
        name="api-diagnosis-report",
    ),
    path(
        "diagnosis/campaigns/", diagnosis.CampaignListApi.as_view(), name="api-diagnosis-campaigns"
    ),
    path(
        "diagnosis/campaigns/<int:pk>/",
        diagnosis.CampaignDetailApi.as_view(),
        name="api-diagnosis-campaign",
    ),
    path(
        "diagnosis/campaigns/<int:pk>/allocate/",
        diagnosis.CampaignAllocateApi.as_view(),
        name="api-diagnosis-allocate",
    ),
]
