"""Account services: customers, cards, accounts, policies, claims, card loss, identity verification, the SMS
outbox and the demo customers. May import `bot.core`."""
