from django.urls import path

from portal.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.index, name="index"),
    # Before the detail page: no resource may have the slug "staff" (see models.RESERVED_SLUGS).
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/links/", views.staff_links, name="staff_links"),
    path("staff/<slug:slug>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<slug:slug>/retire/", views.staff_retire, name="staff_retire"),
    path("<slug:slug>/", views.detail, name="detail"),
]
