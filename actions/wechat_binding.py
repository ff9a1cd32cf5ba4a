"""Binding a WeChat follower's OpenID to the customer who verified by SMS (with consent), and unbinding it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.accounts.access import bind_wechat, unbind_wechat
from bot.core.db import database_session
from bot.core.settings import current_settings


class ActionBindWechat(Action):
    """The customer accepted 「是否绑定本公众号，下次无需验证？」: bind the OpenID to them."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_bind_wechat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Bind, or say that verification has lapsed and binding needs a new one."""
        with database_session() as session:
            bound = bind_wechat(session, tracker.sender_id, tracker.get_latest_input_channel())
        if bound:
            dispatcher.utter_message(response="utter_wechat_bound", days=current_settings().wechat_binding_days)
        else:
            dispatcher.utter_message(response="utter_wechat_binding_lapsed")
        return []


class ActionUnbindWechat(Action):
    """「解除绑定」: end the OpenID's binding; later conversations need SMS verification again."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_unbind_wechat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Unbind and confirm, or say there was no binding."""
        with database_session() as session:
            ended = unbind_wechat(session, tracker.sender_id, tracker.get_latest_input_channel())
        dispatcher.utter_message(response="utter_wechat_unbound" if ended else "utter_wechat_not_bound")
        return []
