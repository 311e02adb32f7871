from django.urls import path

from portal.signposting import views

app_name = "signposting"

urlpatterns = [
    path("", views.start, name="start"),
    path("immediate-danger/", views.danger, name="danger"),
    path("call-999/", views.emergency, name="emergency"),
    path("about-you/", views.role, name="role"),
    path("who/", views.who, name="who"),
    path("what-worries-you/", views.concerns, name="concerns"),
    path("help-and-contacts/", views.result, name="result"),
    path("safeguarding-routes-for-professionals/", views.professional_routes, name="professional_routes"),
    path("staff/contacts/", views.staff_contacts, name="staff_contacts"),
    path("staff/contacts/add/", views.staff_contact_add, name="staff_contact_add"),
    path("staff/contacts/<int:pk>/", views.staff_contact_edit, name="staff_contact_edit"),
]
