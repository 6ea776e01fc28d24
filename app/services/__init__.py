"""Services: keyword-only use-case functions shared by the API, the web pages and the CLI.

They take a session and plain values, know nothing of HTTP, flush but never commit.
"""
