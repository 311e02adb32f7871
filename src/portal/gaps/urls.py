from django.urls import path

from portal.gaps import views

app_name = "gaps"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.entry, name="entry"),
]
