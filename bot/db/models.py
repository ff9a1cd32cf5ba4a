"""SQLAlchemy models of the knowledge-base tables (FAQ entries, synonyms, branches)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Text

from bot.core.db import Base


class FaqEntryRow(Base):
    """One knowledge-base entry: a standard question, its paraphrases and the answer."""

    __tablename__ = "faq_entries"

    id = Column(String(64), primary_key=True)
    category = Column(String(64), nullable=False, default="")
    question = Column(Text, nullable=False)
    similar = Column(JSON, nullable=False, default=list)
    answer = Column(Text, nullable=False)
    keywords = Column(JSON, nullable=False, default=list)
    related = Column(JSON, nullable=False, default=list)
    source = Column(String(255), nullable=False, default="")
    line = Column(Integer, nullable=False, default=0)


class SynonymRow(Base):
    """A colloquial or misspelt variant and the canonical term it stands for."""

    __tablename__ = "synonyms"

    variant = Column(String(64), primary_key=True)
    canonical = Column(String(64), nullable=False)


class BranchRow(Base):
    """A branch of the bank in the branch directory."""

    __tablename__ = "branches"

    id = Column(String(32), primary_key=True)
    name = Column(String(128), nullable=False)
    city = Column(String(32), nullable=False, index=True)
    district = Column(String(32), nullable=False, index=True)
    address = Column(String(255), nullable=False)
    phone = Column(String(32), nullable=False, default="")
    hours = Column(String(128), nullable=False)
    services = Column(JSON, nullable=False, default=list)
