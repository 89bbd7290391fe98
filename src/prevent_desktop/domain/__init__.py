"""Pure domain values and rules. Imports nothing else of ours and nothing of Qt."""
