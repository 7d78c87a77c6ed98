from django.urls import path

from . import views

app_name = "missing"
urlpatterns = [
    path("report/<int:person_id>/", views.episode_report, name="report"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/grade/", views.episode_grade, name="grade"),
    path("episodes/<int:pk>/risk-information/", views.episode_risk_information, name="risk_information"),
    path("episodes/<int:pk>/actions/new/", views.episode_action, name="action"),
    path("episodes/<int:pk>/close/", views.episode_close, name="close"),
    path("return-interviews/", views.rhi_queue, name="rhi_queue"),
    path("return-interviews/<int:pk>/", views.rhi_detail, name="rhi"),
    path("return-interviews/<int:pk>/offer/", views.rhi_offer, name="rhi_offer"),
    path("return-interviews/<int:pk>/refusal/", views.rhi_refuse, name="rhi_refuse"),
    path("return-interviews/<int:pk>/held/", views.rhi_held, name="rhi_held"),
    path("police-protection/", views.protection_board, name="protection_board"),
    path("police-protection/new/<int:person_id>/", views.protection_start, name="protection_start"),
    path("police-protection/<int:pk>/", views.protection_detail, name="protection"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
