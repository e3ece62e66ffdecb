"""Page routes, one module per page family, named like their templates."""
