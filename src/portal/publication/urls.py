from django.urls import path

from portal.publication import views

app_name = "publication"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("publish/", views.publish, name="publish"),
    path("<int:pk>/", views.staff_detail, name="staff_detail"),
]
