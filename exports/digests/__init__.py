"""Status digests rendered as text and HTML, and delivered."""
