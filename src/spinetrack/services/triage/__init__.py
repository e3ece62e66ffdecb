"""Assessing stored patients with the domain's triage engine: building the case from the
record, storing findings and assessments, and re-assessing many patients at once.
"""
