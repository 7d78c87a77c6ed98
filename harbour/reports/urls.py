from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("scrutiny/", views.scrutiny, name="scrutiny"),
    path("scrutiny/print/", views.scrutiny_print, name="print"),
    path("scrutiny/export.<str:fmt>", views.scrutiny_export, name="export"),
    path("scrutiny/figure/<slug:table_key>/<str:row_key>/<str:col_key>/", views.figure, name="figure"),
]
