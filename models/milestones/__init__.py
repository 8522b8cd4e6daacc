"""Milestones: baseline, forecast, actual, slip and dependencies."""
