"""The default lexicon (default.json) lives here as package data."""
