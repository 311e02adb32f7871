from django.urls import path

from portal.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("neighbourhoods/", views.neighbourhoods, name="neighbourhoods"),
    path("wards/", views.wards, name="wards"),
    path("hot-spots/", views.hot_spots, name="hot_spots"),
    path("comparison/", views.comparison, name="comparison"),
    path("staff/", views.staff, name="staff"),
    path("data/<slug:name>.csv", views.table_csv, name="csv"),
    path("report/<path:name>", views.report_file, name="report_file"),
]
