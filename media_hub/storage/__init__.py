"""Asset stores behind one interface: a local folder and S3."""
