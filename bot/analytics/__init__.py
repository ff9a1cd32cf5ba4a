"""Conversation analytics fed by Rasa's event broker (RabbitMQ in the scaled profile): which events count and
the table they land in. May import `bot.core`."""
