"""One row per conversation event that analytics counts; no message text and no raw sender id are kept."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, Integer, String, text

from bot.core.db import Base

FIGURES_ROWS = text("(event <> 'action' OR action = 'action_handoff')")
"""The rows the per-conversation figures read: customer messages, the knowledge base's replies and handoffs
(a query that adds this very condition can read them from `ix_conversation_events_figures` alone)."""


class ConversationEvent(Base):
    """A user message (intent), a bot action, or a bot message's FAQ outcome."""

    __tablename__ = "conversation_events"
    __table_args__ = (
        Index("ix_conversation_events_figures", "conversation", "occurred_at", "event", "action", "faq_outcome",
              "channel", sqlite_where=FIGURES_ROWS, postgresql_where=FIGURES_ROWS),
        Index("ix_conversation_events_outcomes", "faq_outcome", "occurred_at", "faq_id", "conversation"),
    )

    id = Column(Integer, primary_key=True)
    conversation = Column(String(64), nullable=False, index=True)
    event = Column(String(16), nullable=False)
    channel = Column(String(32), nullable=True)
    intent = Column(String(64), nullable=True)
    confidence = Column(Float, nullable=True)
    action = Column(String(64), nullable=True)
    faq_id = Column(String(64), nullable=True)
    faq_outcome = Column(String(16), nullable=True)
    occurred_at = Column(DateTime, nullable=False)
