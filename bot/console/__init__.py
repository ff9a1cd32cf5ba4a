"""The agent console: a web application where human agents take and answer handoff tickets."""
