from django.urls import path

from . import views

app_name = "missing"
urlpatterns = [
    path("", views.episode_list, name="episodes"),
    path("report/<int:person_id>/", views.episode_report, name="report"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/grade/", views.episode_grade, name="grade"),
    path("episodes/<int:pk>/risk-information/", views.episode_risk_information, name="risk_information"),
    path("episodes/<int:pk>/actions/new/", views.episode_action, name="action"),
    path("episodes/<int:pk>/close/", views.episode_close, name="close"),
    path("episodes/<int:pk>/safe-and-well/", views.episode_safe_and_well, name="safe_and_well"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("children/<int:person_id>/trigger-plan/", views.trigger_plan, name="trigger_plan"),
    path("children/<int:person_id>/trigger-plan/edit/", views.trigger_plan_edit, name="trigger_plan_edit"),
    path("children/<int:person_id>/profile/", views.profile_detail, name="profile"),
    path("children/<int:person_id>/profile/edit/", views.profile_edit, name="profile_edit"),
    path("children/<int:person_id>/profile/photo/", views.profile_photo_upload, name="profile_photo_upload"),
    path("children/<int:person_id>/profile/items/new/", views.profile_item_add, name="profile_item"),
    path(
        "children/<int:person_id>/profile/items/<int:pk>/remove/",
        views.profile_item_remove,
        name="profile_item_remove",
    ),
    path("profiles/<int:pk>/photo/", views.profile_photo, name="profile_photo"),
    path("care-homes/", views.care_home_list, name="care_homes"),
    path("care-homes/<int:pk>/", views.care_home_report, name="care_home"),
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
