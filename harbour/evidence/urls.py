from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("new/", views.investigation_create, name="create"),
    path("<int:pk>/", views.investigation_detail, name="detail"),
    path("<int:pk>/import/", views.item_import, name="import"),
    path("<int:pk>/notes/", views.investigation_notes, name="notes"),
    path("<int:pk>/search/", views.search, name="search"),
    path("<int:pk>/flags/", views.flags, name="flags"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/identifiers/", views.identifiers, name="identifiers"),
    path("<int:pk>/identifiers/<int:identifier_pk>/select/", views.identifier_select, name="identifier_select"),
    path("<int:pk>/selected/<int:selected_pk>/link/", views.selected_identifier_link, name="selected_identifier_link"),
    path("<int:pk>/index/", views.index_rebuild, name="index_rebuild"),
    path("<int:pk>/index/status/", views.index_status, name="index_status"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/resume/", views.item_resume, name="item_resume"),
    path("items/<int:pk>/conversation/", views.conversation, name="conversation"),
    path("messages/<int:pk>/", views.message_in_context, name="message"),
]
