"""The directory of people and groups."""
