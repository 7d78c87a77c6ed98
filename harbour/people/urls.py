from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_search, name="search"),
    path("export.csv", views.person_search_export, name="search_export"),
    path("new/", views.person_create, name="create"),
    path("care-homes/", views.care_home_register, name="care_homes"),
    path("<int:pk>/export.json", views.person_export, name="export"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/change/", views.person_edit, name="edit"),
    path("<int:pk>/names/new/", views.person_add_name, name="add_name"),
    path("<int:pk>/identifiers/new/", views.person_add_identifier, name="add_identifier"),
    path("<int:pk>/addresses/new/", views.person_add_address, name="add_address"),
    path("<int:pk>/placements/new/", views.person_add_placement, name="add_placement"),
    path("<int:pk>/notes/new/", views.person_add_note, name="add_note"),
    path("<int:pk>/share/", views.person_share, name="share"),
    path("<int:pk>/access/<int:grant_pk>/revoke/", views.person_revoke, name="revoke"),
    path("<int:pk>/restrict/", views.person_restrict, name="restrict"),
]
