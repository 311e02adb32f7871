from django.urls import path

from portal.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<uuid:service_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<uuid:service_id>/approve/", views.staff_approve, name="staff_approve"),
    path("mapping/", views.mapping_list, name="mapping_list"),
    path("mapping/add/", views.mapping_add, name="mapping_add"),
    path("mapping/<uuid:service_id>/edit/", views.mapping_edit, name="mapping_edit"),
    path("<uuid:service_id>/", views.detail, name="detail"),
]
