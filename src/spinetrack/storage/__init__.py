"""The only package that knows SQL: tables, repositories, the unit of work and migrations."""
