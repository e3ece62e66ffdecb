"""The registry's analyses for analysts: the dashboard frames of one clinic and the report
documents built from them.
"""
