from django.urls import path

from portal.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("<int:pk>/answer/", views.partner_answer, name="partner_answer"),
    path("<int:pk>/have-your-say/", views.public_answer, name="public_answer"),
    path("<int:pk>/thank-you/", views.public_thanks, name="public_thanks"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/", views.staff_results, name="staff_results"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/export.csv", views.staff_export, name="staff_export"),
    path("staff/answers/<int:pk>/tag/", views.staff_tag, name="staff_tag"),
    path("staff/answers/<int:pk>/moderate/", views.staff_moderate, name="staff_moderate"),
]
