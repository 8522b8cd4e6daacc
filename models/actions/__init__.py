"""Action items: adding, editing and listing them, quick capture and the filter language."""
