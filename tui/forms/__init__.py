"""The app's record forms and dialogs, one module per area."""
