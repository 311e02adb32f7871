"""The portal's shared layout, home page, accessibility statement, health check and error pages."""
