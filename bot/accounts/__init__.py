"""Account services: customers, cards, accounts, policies, identity verification."""
