"""Where the JSON API lives."""

API_PREFIX = "/api/v1"
