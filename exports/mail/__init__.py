"""E-mail: invites as messages, and sending through SMTP."""
