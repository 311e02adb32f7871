from django.urls import path

from portal.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility-statement/", views.accessibility_statement, name="accessibility_statement"),
    path("healthz", views.healthz, name="healthz"),
]
