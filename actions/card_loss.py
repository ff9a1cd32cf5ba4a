"""Report a lost card: which card (ask when ambiguous), explicit confirmation, idempotent report."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.asking import unrecognised_answer
from actions.gate import (
    StartVerifiedFormAction,
    conversation_customer,
    customer_or_verify,
    latest_user_event,
    record_read,
    request_entity,
    request_text,
)
from bot.accounts import queries
from bot.accounts.card_loss import report_card_loss
from bot.accounts.errors import AccountServiceError
from bot.accounts.replies import KIND_NAMES
from bot.accounts.views import CardView
from bot.core.clock import system_clock
from bot.core.db import database_session
from bot.core.text import to_half_width

FORM = "card_loss_form"
INTENTS = ["report_card_loss"]
_TAIL = re.compile(r"(?<!\d)\d{4}(?!\d)")
CARD_FIELDS = ("card.tail", "card.product", "card.kind", "card.status")


def _customer_cards(tracker: Tracker, action: str) -> list[CardView]:
    """The verified customer's cards (read for `action`, as the audit log records), or none."""
    with database_session() as session:
        customer = conversation_customer(session, tracker)
        if customer is None:
            return []
        cards = queries.cards(session, customer)
        record_read(session, action, tracker, customer, CARD_FIELDS)
        return cards


def _own_name(card: CardView) -> str:
    """What sets a card's product name apart from the kind words: 工资卡 in 借记卡·工资卡, 白金 in 白金信用卡."""
    name = card.product_name
    for word in queries.KIND_WORDS:
        name = name.replace(word, "")
    return name.strip("·")


def _matching(cards: list[CardView], text: str, card_type: str | None, tail: str | None) -> list[CardView]:
    tails = [tail] if tail else _TAIL.findall(text)
    if tails:
        return [card for card in cards if card.tail in tails]
    named = [card for card in cards if (own := _own_name(card)) and own in text]
    if named:
        return named
    kind = queries.card_kind(card_type) or next(
        (kind for word, kind in queries.KIND_WORDS.items() if word in text), None
    )
    return [card for card in cards if kind is None or card.kind == kind]


def _describe(card: CardView) -> str:
    return f"{card.product_name}（{KIND_NAMES.get(card.kind, '')} 尾号{card.tail}）"


class ActionStartCardLoss(StartVerifiedFormAction):
    """Verify the customer first, then open the card-loss form."""

    form = FORM
    offer = "utter_offer_report_card_loss"

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_start_card_loss"


class ValidateCardLossForm(FormValidationAction):
    """Work out which of the customer's cards is lost, and read the confirmation."""

    def name(self) -> str:
        """The validation action of `card_loss_form`."""
        return "validate_card_loss_form"

    async def extract_loss_card(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The card when the request or the latest answer names exactly one of the customer's cards."""
        if tracker.get_slot("loss_card"):
            return {}
        cards = _customer_cards(tracker, self.name())
        latest = latest_user_event(tracker)
        latest_entities = (latest.get("parse_data") or {}).get("entities") or []
        latest_tail = next((str(e["value"]) for e in latest_entities if e.get("entity") == "card_tail"), None)
        candidates = _matching(cards, latest.get("text") or "", None, latest_tail)
        if len(candidates) != 1:
            candidates = _matching(
                cards, request_text(tracker, INTENTS), request_entity(tracker, INTENTS, "card_type"),
                request_entity(tracker, INTENTS, "card_tail"),
            )
        return {"loss_card": candidates[0].tail} if len(candidates) == 1 else {}

    def validate_loss_card(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Exactly one card of this customer, named by its last four digits or its type."""
        if not slot_value:
            return {"loss_card": None}
        answer = to_half_width(str(slot_value)).strip()
        cards = _customer_cards(tracker, self.name())
        chosen = [card for card in cards if card.tail == answer] or _matching(cards, answer, None, None)
        if len(chosen) == 1:
            return {"loss_card": chosen[0].tail}
        return {"loss_card": None}


class ActionAskLossCard(Action):
    """Ask which card is lost, offering the customer's cards as buttons."""

    def name(self) -> str:
        """Rasa calls `action_ask_<slot>` to request a slot."""
        return "action_ask_loss_card"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """List the cards that can still be reported (saying so when the last answer named none of them)."""
        cards = _customer_cards(tracker, self.name())
        requested = _matching(
            cards, request_text(tracker, INTENTS), request_entity(tracker, INTENTS, "card_type"), None
        )
        buttons = [
            {"title": _describe(card), "payload": f'/inform{{"card_tail": "{card.tail}"}}'}
            for card in requested or cards
        ]
        if unrecognised_answer(tracker, "loss_card"):
            text = "没有确定是哪张卡。请选择丢失的卡，或输入卡号后四位（输入「算了」可取消）："
        else:
            text = "请问是哪张卡丢失了？请选择或输入卡号后四位："
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionAskLossConfirm(Action):
    """Ask for explicit confirmation before changing the card's state."""

    def name(self) -> str:
        """Rasa calls `action_ask_<slot>` to request a slot."""
        return "action_ask_loss_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Show what will happen and offer confirm / cancel."""
        tail = tracker.get_slot("loss_card")
        dispatcher.utter_message(
            text=f"确认挂失尾号{tail}的卡吗？挂失后该卡将立即停止使用，可到网点补办新卡。",
            buttons=[{"title": "确认挂失", "payload": "/affirm"}, {"title": "取消", "payload": "/deny"}],
        )
        return []


class ActionReportCardLoss(Action):
    """Submit the loss report (reporting the same card twice returns the same case)."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_report_card_loss"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Report the card if confirmed, then clear the form's slots."""
        reset = [SlotSet("loss_card", None), SlotSet("loss_confirm", None)]
        if tracker.get_slot("loss_confirm") is not True:
            dispatcher.utter_message(text="好的，已取消挂失，您的卡片状态没有变化。")
            return reset
        tail = tracker.get_slot("loss_card")
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, FORM)
            if customer is None:
                return reset + events
            card = next((card for card in queries.cards(session, customer) if card.tail == tail), None)
            record_read(session, self.name(), tracker, customer, CARD_FIELDS)
            if card is None:
                dispatcher.utter_message(text="没有找到您名下的这张卡，请重新发起挂失。")
                return reset
            try:
                case = report_card_loss(session, customer, card.id, system_clock())
            except AccountServiceError as error:
                dispatcher.utter_message(text=error.message)
                return reset
        dispatcher.utter_message(
            text=f"已为您挂失尾号{tail}的卡，挂失案件号 {case}。该卡已停止使用，"
            "请携带本人有效身份证件到任一网点补办新卡。如发现非本人交易，请输入「转人工」。"
        )
        return reset
