"""Use cases. Every permission is checked here; the UI only hides what these would refuse."""
