"""Feedback forms sent to units and read back."""
