"""The registry's vocabulary checks that sit beside `knowledge/registry/`: what a surgery and a
complication may be, whichever door they come in by.
"""
