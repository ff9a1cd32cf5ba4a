"""SQLAlchemy models of the knowledge-base tables: FAQ entries, synonyms, branches, and the editing records (drafts,
published versions with each entry's before and after, the entries as the files last had them)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Integer, String, Text

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
    effective = Column(Date, nullable=True)
    expires = Column(Date, nullable=True)


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


class KbDraftRow(Base):
    """An editor's change of one entry (`fields` None: delete it), from draft through review to published."""

    __tablename__ = "kb_drafts"

    id = Column(Integer, primary_key=True, autoincrement=True)
    entry_id = Column(String(64), nullable=False, index=True)
    fields = Column(JSON, nullable=True)
    status = Column(String(16), nullable=False, index=True)
    author = Column(String(64), nullable=False)
    reviewer = Column(String(64), nullable=True)
    comment = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    version = Column(Integer, nullable=True)


class KbVersionRow(Base):
    """One published change of the knowledge base: an approved draft, a rollback or an import of the files."""

    __tablename__ = "kb_versions"

    version = Column(Integer, primary_key=True, autoincrement=True)
    published_at = Column(DateTime, nullable=False)
    published_by = Column(String(64), nullable=False)
    approved_by = Column(String(64), nullable=True)
    summary = Column(Text, nullable=False)
    rollback_of = Column(Integer, nullable=True)


class KbRevisionRow(Base):
    """One entry's fields before and after a version (None: it did not exist / was removed)."""

    __tablename__ = "kb_revisions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    version = Column(Integer, ForeignKey("kb_versions.version", ondelete="CASCADE"), nullable=False, index=True)
    entry_id = Column(String(64), nullable=False, index=True)
    before = Column(JSON, nullable=True)
    after = Column(JSON, nullable=True)


class KbFileEntryRow(Base):
    """An entry as the `knowledge_base/` files had it at the last import: what tells a change in the files from a
    change published in the console."""

    __tablename__ = "kb_file_entries"

    id = Column(String(64), primary_key=True)
    fields = Column(JSON, nullable=False)
