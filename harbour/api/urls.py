from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from harbour.language.api import LanguageCheckView

from . import views

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("language/check/", LanguageCheckView.as_view(), name="language-check"),
    path("intel/", include("harbour.intel.api")),
    path("graph/", include("harbour.graph.api")),
    # The schema holds no data, so it is public; no Swagger/Redoc page (they load from CDNs, which CSP forbids).
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
]
