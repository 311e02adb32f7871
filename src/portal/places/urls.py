from django.urls import path

from portal.places import views

app_name = "places"

urlpatterns = [
    path("", views.picker, name="picker"),
    path("<str:level>/<str:code>/", views.profile, name="profile"),
    path("<str:level>/<str:code>/<str:table>.csv", views.table_csv, name="csv"),
]
