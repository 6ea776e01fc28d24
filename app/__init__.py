"""The imperative shell of OpsMaturity: settings, persistence, services, API, pages, CLI."""
