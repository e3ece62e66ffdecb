"""The pure clinical core: scoring, outcomes and triage, reading only the knowledge files."""
