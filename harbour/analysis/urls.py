from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("matches/", views.match_list, name="matches"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/undo/", views.match_undo, name="match_undo"),
    path("similar-people/", views.similar_people, name="similar_people"),
    path("networks/", views.networks, name="networks"),
    path("period/", views.period, name="period"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
]
