"""FHIR R4 (the R4B models of fhir.resources) for the registry: a Bundle out, a Bundle in, and the
resources the read endpoints serve. The codes each mapping uses are in `codes.py`."""
