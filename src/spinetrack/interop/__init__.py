"""Formats in and out of the registry (FHIR R4B, CSV, Parquet): translation only, no business rules.

Services gather records and check them; this package only turns records into files and back."""
