"""Operating the bot: the service team's figures (dashboard and `kefu analytics report`) and the questions the
bot could not answer, mined into clusters (`kefu kb unanswered`). May import `bot.core`, `bot.analytics`,
`bot.db`, `bot.handoff`, `bot.kb` and `bot.content`."""
