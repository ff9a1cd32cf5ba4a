"""Rasa SDK custom actions of kefu, split by domain; each module stays thin and calls into `bot`."""
