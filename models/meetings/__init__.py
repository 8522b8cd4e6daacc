"""Meetings: series and their occurrences, attendees, minutes, invites and recurrence."""
