"""Records in and out of the registry in bulk: CSV and FHIR imports checked by the same rules
as single entry, exports for analysts, and the FHIR read and search side.
"""
