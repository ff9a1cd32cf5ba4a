"""Keeping customers' personal data out of the tracker store, the event broker and the logs."""
