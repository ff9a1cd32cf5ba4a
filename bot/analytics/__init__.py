"""Conversation analytics fed by Rasa's event broker (RabbitMQ in the scaled profile)."""
