"""Alembic environment: runs on the connection media-hub hands over (see `migrations.upgrade`)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from media_hub.catalog import models, pipeline_models, user_models  # noqa: F401  (the tables)
from media_hub.catalog.base import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("media-hub migrations run through media_hub.catalog.migrations.upgrade")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
