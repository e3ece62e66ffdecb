"""Running an installation: opening and migrating the database, backup and restore, and the
demo reset that erases a clinic's records.
"""
