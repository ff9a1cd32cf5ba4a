"""The website chat widget channel; `credentials.yml` names `bot.channels.widget.WidgetInput`."""

from bot.channels.widget.channel import WidgetInput

__all__ = ["WidgetInput"]
