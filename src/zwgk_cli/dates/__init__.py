"""Deadline phrases, recurrence rules and working days: pure functions of text and dates."""
