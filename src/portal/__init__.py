"""The VRU portal: the Django project. Only `portal.insights` may import the `vru` toolkit."""
