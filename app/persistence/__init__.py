"""Persistence: the engine, the unit of work and how it runs (a database thread or the event loop)."""
