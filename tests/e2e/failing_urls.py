"""The portal's URLs plus one page that fails, so the browser tests can check the 500 page a real request gets
(with the portal's own handler500). Used with @pytest.mark.urls("tests.e2e.failing_urls")."""

from django.urls import path

from portal.urls import handler500  # noqa: F401 (handler500 is read from here)
from portal.urls import urlpatterns as portal_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure, for the 500 page's browser test")


urlpatterns = [path("test-only-failure/", fail), *portal_urlpatterns]
