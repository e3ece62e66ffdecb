"""Use cases, one module per user goal; each runs in one unit of work and leaves an audit entry."""
