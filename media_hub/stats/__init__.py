"""View statistics: pulling snapshots and reporting them."""
