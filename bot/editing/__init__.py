"""Editing the knowledge base from the console: editors' drafts, the hit test (命中测试) of a draft against
today's knowledge base, four-eyes review (an approver, never the draft's author, approves or rejects), and the
published versions with their history, diff and rollback. May import `bot.core`, `bot.db`, `bot.kb` and
`bot.content` (which publishes the versions and serves them)."""
