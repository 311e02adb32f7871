"""The portal's URLs: one include per app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("portal.core.urls")),
    path("", include("portal.accounts.urls")),
    path("resources/", include("portal.resources.urls")),
    path("worried-about-someone/", include("portal.signposting.urls")),
    path("", include("portal.signposting.guide_urls")),
    path("feedback/", include("portal.feedback.urls")),
    path("dashboard/places/", include("portal.places.urls")),
    path("dashboard/", include("portal.dashboards.urls")),
    path("staff/publication/", include("portal.publication.urls")),
    path("staff/partner-data/", include("portal.partners.urls")),
    path("services/", include("portal.directory.urls")),
    path("api/", include("portal.directory.api_urls")),
    path("consultations/", include("portal.consultations.urls")),
    path("gaps/", include("portal.gaps.urls")),
    path("", include("portal.strategy.urls")),
    path("admin/", admin.site.urls),
]

# Django's default 500 view renders without a context (so without the site name our layout needs);
# ours passes the settings-based context and still touches neither the database nor the request.
handler500 = "portal.core.views.server_error"
