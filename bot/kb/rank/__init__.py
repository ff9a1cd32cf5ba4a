"""Ranking: candidate features, the listwise re-ranker and its training queries, decision thresholds and
their calibration, the prior re-ranker for knowledge bases without paraphrases. May import `bot.kb.index`."""
