"""Indexes of the knowledge base: tokenizer and synonyms, term weighting, lexical, entry-level, answer and
semantic (sentence-embedding) indexes. May import `bot.core` and `bot.kb.entry`."""
