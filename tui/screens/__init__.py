"""The app's screens, one module per screen, and what every screen shares."""
