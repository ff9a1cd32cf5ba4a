"""What customers are told about the handoff, and the bot messages that carry its status."""

from __future__ import annotations

from typing import Any

RESUME = [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
RATING_BUTTONS = [
    {"title": "非常满意", "payload": '/rate{"rating":"5"}'},
    {"title": "满意", "payload": '/rate{"rating":"4"}'},
    {"title": "一般", "payload": '/rate{"rating":"3"}'},
    {"title": "不满意", "payload": '/rate{"rating":"2"}'},
    {"title": "非常不满意", "payload": '/rate{"rating":"1"}'},
]


def queued_text(position: int) -> str:
    """What the customer sees when the ticket is queued."""
    return f"正在为您转接人工客服，您前面还有 {position} 位，请稍候。您可以继续输入问题，客服接入后会看到。"


def queued_status(position: int) -> dict[str, Any]:
    """The widget's status payload for a queued ticket."""
    return {"handoff": {"status": "queued", "position": position}}


def bot_event(text: str, *, custom: dict[str, Any] | None = None, buttons: list[dict[str, str]] | None = None,
              metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `bot` event for Rasa's tracker API; delivered through the customer's channel."""
    data: dict[str, Any] = {}
    if custom:
        data["custom"] = custom
    if buttons:
        data["buttons"] = buttons
    return {"event": "bot", "text": text, "data": data, "metadata": metadata or {}}


def queue_moved(position: int) -> dict[str, Any]:
    """Told when the customer moves up the queue."""
    return bot_event(f"您前面还有 {position} 位，请稍候。", custom=queued_status(position))


def agent_joined(agent_name: str) -> dict[str, Any]:
    """Told when an agent claims (or is transferred) the conversation."""
    return bot_event(
        f"客服 {agent_name} 为您服务", custom={"handoff": {"status": "assigned", "agent": agent_name}}
    )


def is_agent_joined(event: dict[str, Any]) -> bool:
    """True for the `agent_joined` announcement (as the tracker returns it)."""
    custom = (event.get("data") or {}).get("custom") or {}
    return (custom.get("handoff") or {}).get("status") == "assigned"


def agent_said(agent_name: str, text: str, message_id: str) -> dict[str, Any]:
    """An agent's message."""
    return bot_event(text, metadata={"agent": agent_name, "message_id": message_id})


def handoff_ended(close_reason: str) -> list[dict[str, Any]]:
    """Resume the bot, tell the customer, and ask for a rating (after a live chat)."""
    ended = {
        "closed": "本次人工服务已结束，感谢您的耐心。",
        "handed_back": "客服已将您转回智能客服，您可以继续向我提问。",
    }[close_reason]
    return [
        *RESUME,
        bot_event(ended, custom={"handoff": {"status": "ended"}}),
        bot_event("请您为本次人工服务打分：", custom={"rating_request": True}, buttons=RATING_BUTTONS),
    ]


def abandoned() -> list[dict[str, Any]]:
    """Resume the bot after a ticket timed out."""
    return [
        *RESUME,
        bot_event(
            "由于长时间没有新的消息，本次人工服务已结束，智能客服继续为您服务。如仍需人工帮助，请回复「转人工」。",
            custom={"handoff": {"status": "ended"}},
        ),
    ]
