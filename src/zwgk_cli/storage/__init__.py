"""The plan file: YAML with positions, surgical edits, atomic locked writes, cache, workspaces, history."""
