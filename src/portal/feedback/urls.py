from django.urls import path

from portal.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_form, name="form"),
    path("thank-you/", views.thank_you, name="thank_you"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/export.csv", views.staff_export, name="staff_export"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/assign/", views.staff_assign, name="staff_assign"),
    path("staff/<int:pk>/reply/", views.staff_reply, name="staff_reply"),
    path("staff/<int:pk>/delete/", views.staff_delete, name="staff_delete"),
]
