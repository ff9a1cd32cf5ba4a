"""One row per conversation event that analytics counts; no message text and no raw sender id are kept."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, String

from bot.core.db import Base


class ConversationEvent(Base):
    """A user message (intent), a bot action, or a bot message's FAQ outcome."""

    __tablename__ = "conversation_events"

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
