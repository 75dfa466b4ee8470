"""Pipeline steps as jobs in the catalog, run by workers."""
