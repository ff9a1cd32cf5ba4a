"""Custom Rasa NLU components for Chinese banking and insurance conversations, and the training inputs
derived from the knowledge base. May import `bot.core`, `bot.kb` and `bot.branches`."""
