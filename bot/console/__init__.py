"""The agent console: a web application where human agents take and answer handoff tickets (with suggested
answers from the knowledge base) and supervisors watch queues, reassign, review 质检 results and read the
dashboard (`/ops`), and knowledge editors and approvers edit, test, review and publish the knowledge base (`/kb`);
role checks per route, a login lockout and every action in the audit log. May import `bot.core`, `bot.accounts`,
`bot.handoff`, `bot.content`, `bot.editing` (the editing workflow), `bot.kb` (the index's type), `bot.privacy`
(the audit log) and `bot.operations` (the dashboard's figures, the unanswered clusters)."""
