"""Widgets the screens share: dialogs, rows, the history panel, text made safe, the palette."""
