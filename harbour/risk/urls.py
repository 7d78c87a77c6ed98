from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("", views.work, name="work"),
    path("child/<int:person_id>/", views.child_risk, name="child"),
    path("child/<int:person_id>/screening/new/", views.screening_new, name="screening_new"),
    path("child/<int:person_id>/assessment/new/", views.assessment_new, name="assessment_new"),
    path("screening/<int:pk>/", views.screening_detail, name="screening"),
    path("assessment/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessment/<int:pk>/answers/", views.assessment_answers, name="assessment_answers"),
    path("assessment/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessment/<int:pk>/sign-off/", views.assessment_sign_off, name="assessment_sign_off"),
    path("assessment/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("assessment/<int:pk>/rescore/", views.assessment_rescore, name="assessment_rescore"),
    path("<str:kind>/<int:pk>/judgement/", views.judgement, name="judgement"),
    path("task/<int:pk>/done/", views.task_done, name="task_done"),
]
