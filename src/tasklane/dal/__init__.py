"""Adapters: everything that talks to AWS or PostgreSQL."""
