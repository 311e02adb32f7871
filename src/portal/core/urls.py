from django.urls import path

from portal.core import staff_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about_index, name="about"),
    path("about/<slug:slug>/", views.about_page, name="about_page"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility-statement/", views.accessibility_statement, name="accessibility_statement"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff/pages/", staff_views.page_list, name="staff_pages"),
    path("staff/pages/add/", staff_views.add_page, name="add_page"),
    path("staff/pages/<slug:slug>/edit/", staff_views.edit_page, name="edit_page"),
]
