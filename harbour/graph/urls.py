from django.urls import path

from . import views

app_name = "graph"
urlpatterns = [
    path("", views.entity_find, name="find"),
    path("expand/<slug:kind>/<int:pk>/", views.expand, name="expand"),
    path("chart/<slug:kind>/<int:pk>/", views.chart, name="chart"),
    path("chart/<slug:kind>/<int:pk>/exported/", views.chart_exported, name="chart_exported"),
    path("links/<int:pk>/withdraw/", views.link_withdraw, name="link_withdraw"),
    path("account/<int:pk>/suspected-fake/", views.account_suspected_fake, name="account_fake"),
    path("<slug:kind>/<int:pk>/", views.entity_detail, name="entity"),
]
