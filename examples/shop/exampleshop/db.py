"""The database: an engine from the configured URL (SQLite in memory by default) and sessions."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from exampleshop.models import Base

__all__ = ["Database"]


class Database:
    """The shop's database: `sessions()` opens a SQLAlchemy session; the tables are created at start."""

    def __init__(self, url: str) -> None:
        options: dict[str, object] = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            # one connection for every thread: an in-memory database lives in it
            options = {"connect_args": {"check_same_thread": False}, "poolclass": StaticPool}
        self.engine: Engine = create_engine(url, **options)
        Base.metadata.create_all(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
