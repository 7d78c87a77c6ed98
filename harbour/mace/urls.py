from django.urls import path

from . import views

app_name = "mace"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("new/", views.meeting_create, name="meeting_new"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("suspect-interviews/", views.suspect_interview_list, name="suspect_interviews"),
    path("suspect-interviews/new/", views.suspect_interview_create, name="suspect_interview_new"),
    path("suspect-interviews/<int:pk>/change/", views.suspect_interview_update, name="suspect_interview_edit"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/build/", views.agenda_build, name="agenda_build"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/items/new/", views.item_create, name="item_new"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/time/", views.item_time_limit, name="item_time"),
    path("<int:pk>/items/<int:item_pk>/decisions/new/", views.decision_create, name="decision_new"),
    path("<int:pk>/actions/new/", views.action_create, name="action_new"),
]
