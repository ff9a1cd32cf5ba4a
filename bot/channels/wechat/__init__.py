"""The WeChat Official Account channel (微信公众号); `credentials.yml` names `bot.channels.wechat.WeChatInput`."""

from bot.channels.wechat.channel import WeChatInput

__all__ = ["WeChatInput"]
