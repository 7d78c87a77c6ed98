from django.urls import path

from . import views

app_name = "language"
urlpatterns = [
    path("check/", views.check_fragment, name="check"),
    path("report/", views.report, name="report"),
    path("lexicon/", views.lexicon_list, name="lexicon"),
    path("lexicon/new/", views.lexicon_create, name="lexicon_create"),
    path("lexicon/<slug:term_id>/", views.lexicon_edit, name="lexicon_edit"),
]
