"""Rows as CSV and JSON, and CSV read back in."""
