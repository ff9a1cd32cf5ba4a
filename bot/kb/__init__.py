"""FAQ knowledge base: loading and validating entries, assembling them, hybrid lexical and semantic retrieval
(`index/`) with a learned re-ranker (`rank/`), follow-ups and evaluation. May import `bot.core`; inside,
`index` imports nothing of `rank` and neither imports the engine."""

from bot.core.yaml_lines import Problem
from bot.kb.engine import Decision, Hit, KnowledgeBase
from bot.kb.entry import FaqEntry
from bot.kb.problems import KbValidationError

__all__ = ["Decision", "FaqEntry", "Hit", "KbValidationError", "KnowledgeBase", "Problem"]
