"""The plan as data: tasks, entries, units and groups, schema, validation, occurrences."""
