"""Views across areas: what needs attention today."""
