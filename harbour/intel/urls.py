from django.urls import path

from . import views

app_name = "intel"
urlpatterns = [
    path("", views.intel_list, name="list"),
    path("export.csv", views.intel_export, name="export"),
    path("new/", views.intel_create, name="create"),
    path("<int:pk>/", views.intel_detail, name="detail"),
    path("<int:pk>/handling/", views.intel_handling, name="handling"),
    path("<int:pk>/share/", views.intel_share, name="share"),
    path("<int:pk>/links/new/", views.intel_add_link, name="add_link"),
    path("<int:pk>/sanitise/", views.sanitise, name="sanitise"),
    path("sanitised/<int:pk>/", views.sanitised_detail, name="sanitised"),
    path("sanitised/<int:pk>/approve/", views.sanitised_approve, name="approve"),
    path("sanitised/<int:pk>/share/", views.sanitised_share, name="sanitised_share"),
    path("sanitised/<int:pk>/withdraw/", views.sanitised_withdraw, name="sanitised_withdraw"),
]
