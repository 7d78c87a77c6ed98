from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from harbour.disruption import api as disruption_api
from harbour.language.api import LanguageCheckView
from harbour.mace import api as mace_api
from harbour.missing import api as missing_api

from . import views

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("language/check/", LanguageCheckView.as_view(), name="language-check"),
    path("disruption/orders/", disruption_api.OrderListView.as_view(), name="disruption-order-list"),
    path("disruption/orders/<int:pk>/", disruption_api.OrderDetailView.as_view(), name="disruption-order-detail"),
    path("mace/actions/", mace_api.ActionListView.as_view(), name="mace-action-list"),
    path("mace/actions/<int:pk>/", mace_api.ActionDetailView.as_view(), name="mace-action-detail"),
    path("missing/episodes/", missing_api.EpisodeListView.as_view(), name="missing-episode-list"),
    path("missing/episodes/<int:pk>/", missing_api.EpisodeDetailView.as_view(), name="missing-episode-detail"),
    path("missing/episodes/<int:pk>/grade/", missing_api.EpisodeGradeView.as_view(), name="missing-episode-grade"),
    path("missing/episodes/<int:pk>/close/", missing_api.EpisodeCloseView.as_view(), name="missing-episode-close"),
    path("missing/return-interviews/", missing_api.ReturnInterviewListView.as_view(), name="missing-rhi-list"),
    path(
        "missing/return-interviews/<int:pk>/",
        missing_api.ReturnInterviewDetailView.as_view(),
        name="missing-rhi-detail",
    ),
    path(
        "missing/return-interviews/<int:pk>/offer/",
        missing_api.ReturnInterviewOfferView.as_view(),
        name="missing-rhi-offer",
    ),
    path(
        "missing/return-interviews/<int:pk>/refusal/",
        missing_api.ReturnInterviewRefusalView.as_view(),
        name="missing-rhi-refusal",
    ),
    path(
        "missing/return-interviews/<int:pk>/held/",
        missing_api.ReturnInterviewHeldView.as_view(),
        name="missing-rhi-held",
    ),
    path("missing/police-protection/", missing_api.ProtectionListView.as_view(), name="missing-protection-list"),
    path("missing/police-protection/new/", missing_api.ProtectionStartView.as_view(), name="missing-protection-start"),
    path(
        "missing/police-protection/<int:pk>/record/",
        missing_api.ProtectionRecordView.as_view(),
        name="missing-protection-record",
    ),
    path(
        "missing/episodes/<int:pk>/safe-and-well/",
        missing_api.SafeAndWellView.as_view(),
        name="missing-episode-safe-and-well",
    ),
    path(
        "missing/children/<int:person_id>/trigger-plan/",
        missing_api.TriggerPlanView.as_view(),
        name="missing-trigger-plan",
    ),
    path("missing/children/<int:person_id>/profile/", missing_api.ProfileView.as_view(), name="missing-profile"),
    path(
        "missing/police-protection/<int:pk>/",
        missing_api.ProtectionDetailView.as_view(),
        name="missing-protection-detail",
    ),
    path("intel/", include("harbour.intel.api")),
    path("graph/", include("harbour.graph.api")),
    path("evidence/", include("harbour.evidence.api")),
    path("referrals/", include("harbour.sharing.api")),
    path("reports/", include("harbour.reports.api")),
    # The schema holds no data, so it is public; no Swagger/Redoc page (they load from CDNs, which CSP forbids).
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
]
