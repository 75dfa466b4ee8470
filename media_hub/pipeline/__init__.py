"""Pipeline steps: plain functions over the catalog and the store, each idempotent and each
recording its result in the catalog as it completes, so a rerun after a crash resumes."""
