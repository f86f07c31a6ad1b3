"""Bundled sample APIs: the demo shop (``samples/shop``) and the deliberately vulnerable API."""
