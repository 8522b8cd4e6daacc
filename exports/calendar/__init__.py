"""iCalendar: invites and feeds written, calendar files read, time zones described."""
