from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("staff/", views.staff_index, name="staff_index"),
    path("staff/sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("staff/sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("staff/signed-out/", views.signed_out, name="signed_out"),
    path("staff/audit/", views.audit_trail, name="audit_trail"),
]
