"""The access audit log's table and the database triggers that make it append-only.

The triggers are created by the migration and, through a DDL event, by `Base.metadata.create_all`, so a
table made either way rejects UPDATE and DELETE (and on PostgreSQL TRUNCATE) from any code path.
"""

from __future__ import annotations

from sqlalchemy import DDL, JSON, Column, DateTime, Integer, String, event

from bot.core.db import Base

TABLE = "audit_log"
REJECTION = "audit_log is append-only"
APPEND_ONLY_TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": (
        f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{REJECTION}'); END",
        f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{REJECTION}'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{REJECTION}'; END $$",
        f"CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        f"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    ),
}
"""Per dialect, the statements that make the table append-only (run after the table is created)."""
DROP_FUNCTION = {"postgresql": "DROP FUNCTION IF EXISTS audit_log_append_only()"}
"""What dropping the table leaves behind, per dialect."""


class AuditEntry(Base):
    """One access to a customer's personal data, or one console action by an agent; chained by hash.

    `actor_kind` is `bot` (actor: the action), `agent` (actor: the agent's username) or `cli` (actor: the
    command); `fields` lists what was read; `hash` is sha256 over the entry's content and `prev_hash`.
    """

    __tablename__ = TABLE

    id = Column(Integer, primary_key=True, autoincrement=False)
    at = Column(DateTime, nullable=False)
    actor_kind = Column(String(8), nullable=False)
    actor = Column(String(128), nullable=False)
    customer_id = Column(Integer, nullable=True, index=True)
    conversation_id = Column(String(128), nullable=True)
    ticket_id = Column(Integer, nullable=True)
    purpose = Column(String(64), nullable=False)
    fields = Column(JSON, nullable=False)
    address = Column(String(64), nullable=True)
    prev_hash = Column(String(64), nullable=False)
    hash = Column(String(64), nullable=False, unique=True)


for _dialect, _statements in APPEND_ONLY_TRIGGERS.items():
    for _statement in _statements:
        event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
for _dialect, _statement in DROP_FUNCTION.items():
    event.listen(AuditEntry.__table__, "after_drop", DDL(_statement).execute_if(dialect=_dialect))
