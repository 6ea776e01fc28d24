"""Alembic migrations of the database schema, and the functions that apply them."""
