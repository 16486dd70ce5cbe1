"""API mappings: one module per API pair and direction (installed as ``migrate.rules``)."""
