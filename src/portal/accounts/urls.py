from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("staff/", views.staff_index, name="staff_index"),
    path("staff/sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("staff/sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("staff/signed-out/", views.signed_out, name="signed_out"),
    path("staff/audit/", views.audit_trail, name="audit_trail"),
    path("staff/request-account/", views.account_request, name="account_request"),
    path("staff/request-account/sent/", views.account_request_sent, name="account_request_sent"),
    path("staff/account-requests/", views.account_requests, name="account_requests"),
    path("staff/account-requests/<int:pk>/", views.account_request_decide, name="account_request_decide"),
    path("staff/set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("staff/password-set/", views.password_set, name="password_set"),
    path("staff/partner/", views.partner_dashboard, name="partner_dashboard"),
]
