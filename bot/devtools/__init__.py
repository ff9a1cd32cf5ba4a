"""Developer clients: the terminal shell, the chat-script format and its runner, servers started for one
in-process run. May import any package but `bot.cli`; no domain package imports it."""
