from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("", views.incoming, name="incoming"),
    path("outgoing/", views.outgoing, name="outgoing"),
    path("refer/<str:record_type>/<int:object_id>/", views.refer, name="refer"),
    path("decisions/new/<str:record_type>/<int:object_id>/", views.decision_new, name="decision_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
