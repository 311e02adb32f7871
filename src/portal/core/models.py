"""The core app has no models yet: the coverage it shows is published into portal.insights.models."""
