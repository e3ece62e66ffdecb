"""The demo clinic: a synthetic but realistic cohort, loaded through the services like real data."""
