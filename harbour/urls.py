from django.urls import include, path

from harbour.core import views as core_views

urlpatterns = [
    path("", include(([path("", core_views.home, name="home")], "core"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("harbour.accounts.urls")),
    path("people/", include("harbour.people.urls")),
    path("language/", include("harbour.language.urls")),
    path("missing/", include("harbour.missing.urls")),
    path("evidence/", include("harbour.evidence.urls")),
    path("risk/", include("harbour.risk.urls")),
    path("graph/", include("harbour.graph.urls")),
    path("analysis/", include("harbour.analysis.urls")),
    path("reports/", include("harbour.reports.urls")),
    path("intel/", include("harbour.intel.urls")),
    path("disruption/", include("harbour.disruption.urls")),
    path("mace/", include("harbour.mace.urls")),
    path("sharing/", include("harbour.sharing.urls")),
    path("notifications/", include("harbour.notifications.urls")),
    path("retention/", include("harbour.retention.urls")),
    path("audit/", include("harbour.audit.urls")),
    path("access/", include("harbour.access.urls")),
    path("api/v1/", include("harbour.api.urls")),
]
