"""Harbour: one shared, secure picture for the teams that protect children from exploitation."""

__version__ = "0.1.0"
