from django.urls import path

from portal.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.upload_list, name="uploads"),
    path("<int:pk>/", views.upload_detail, name="upload_detail"),
    path("<int:pk>/export/", views.upload_export, name="upload_export"),
    path("<int:pk>/delete/", views.upload_delete, name="upload_delete"),
]
