"""Custom Rasa NLU components for Chinese banking and insurance conversations."""
