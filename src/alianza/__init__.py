"""Alianza: a platform for binational joint border operations."""

__version__ = "0.1.0"
