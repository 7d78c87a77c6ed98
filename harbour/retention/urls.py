from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("rules/", views.rules, name="rules"),
    path("deletions/", views.deletions, name="deletions"),
    path("due/<int:rule_pk>/<int:object_id>/", views.decide, name="decide"),
    path("due/<int:rule_pk>/<int:object_id>/retain/", views.retain, name="retain"),
    path("due/<int:rule_pk>/<int:object_id>/delete/", views.delete, name="delete"),
    path("subject-access/<int:pk>/", views.sar_html, name="sar"),
    path("subject-access/<int:pk>.json", views.sar_json, name="sar_json"),
]
