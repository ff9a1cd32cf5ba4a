"""FAQ knowledge base: loading, validation and hybrid lexical retrieval with a learned re-ranker."""

from bot.kb.engine import Decision, Hit, KnowledgeBase
from bot.kb.entry import FaqEntry
from bot.kb.problems import KbValidationError, Problem

__all__ = ["Decision", "FaqEntry", "Hit", "KbValidationError", "KnowledgeBase", "Problem"]
