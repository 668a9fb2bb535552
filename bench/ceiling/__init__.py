"""Ceiling apps: what Flask itself serves on this machine under the same gunicorn settings."""
