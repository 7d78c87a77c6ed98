from django.urls import path

from . import views

app_name = "disruption"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders/new/", views.order_create, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/change/", views.order_edit, name="order_edit"),
    path("orders/<int:pk>/breaches/new/", views.breach_create, name="breach_new"),
    path("operations/", views.operation_list, name="operations"),
    path("operations/new/", views.operation_create, name="operation_new"),
    path("operations/<int:pk>/", views.operation_detail, name="operation"),
    path("operations/<int:pk>/activities/new/", views.activity_create, name="activity_new"),
    path("operations/<int:pk>/outcomes/", views.operation_outcomes, name="operation_outcomes"),
]
