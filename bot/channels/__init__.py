"""Rasa input channels of kefu."""
