"""First notice of loss: policy, incident date, type, short description, confirmation, claim number."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.asking import ActionAskAgain
from actions.gate import (
    StartVerifiedFormAction,
    conversation_customer,
    customer_or_verify,
    latest_user_event,
    record_read,
    request_entity,
)
from bot.accounts import queries
from bot.accounts.claims import ACTIVE_POLICY, file_claim
from bot.accounts.dates import parse_date_range
from bot.accounts.errors import AccountServiceError
from bot.accounts.formatting import chinese_date
from bot.accounts.views import PolicyView
from bot.core.clock import system_clock
from bot.core.db import database_session
from bot.core.text import to_half_width

FORM = "file_claim_form"
POLICY_NUMBER = re.compile(r"[Pp]\d{10}")
CLAIM_TYPES = {
    "车辆事故": ("车", "撞", "剐", "刮", "追尾", "事故"),
    "医疗费用": ("住院", "门诊", "看病", "医疗", "手术", "医院"),
    "意外伤害": ("摔", "骨折", "意外", "受伤", "烫伤"),
    "重大疾病": ("重疾", "癌", "肿瘤", "心梗", "脑梗", "确诊"),
    "身故": ("身故", "去世", "过世"),
}
POLICY_FIELDS = ("policy.number", "policy.product", "policy.status")
SLOTS = ("claim_policy", "claim_date", "claim_type", "claim_description", "claim_confirm")


def _active_policies(tracker: Tracker, action: str) -> list[PolicyView]:
    """The verified customer's policies in force (read for `action`, as the audit log records), or none."""
    with database_session() as session:
        customer = conversation_customer(session, tracker)
        if customer is None:
            return []
        found = queries.policies(session, customer)
        record_read(session, action, tracker, customer, POLICY_FIELDS)
    return [policy for policy in found if policy.status == ACTIVE_POLICY]


def claim_type_of(text: str) -> str | None:
    """The claim type a free-text answer names, or None."""
    if text in CLAIM_TYPES:
        return text
    return next((kind for kind, words in CLAIM_TYPES.items() if any(word in text for word in words)), None)


class ActionStartFileClaim(StartVerifiedFormAction):
    """Verify the customer first, then open the claim form."""

    form = FORM
    offer = "utter_offer_file_claim"

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_start_file_claim"


class ValidateFileClaimForm(FormValidationAction):
    """Check each answer of the claim form with a helpful re-ask."""

    def name(self) -> str:
        """The validation action of `file_claim_form`."""
        return "validate_file_claim_form"

    async def extract_claim_policy(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A policy number in the latest message or the request, or the only active policy."""
        if tracker.get_slot("claim_policy"):
            return {}
        match = POLICY_NUMBER.search(latest_user_event(tracker).get("text") or "")
        number = match.group().upper() if match else request_entity(tracker, ["file_claim"], "policy_number")
        if number:
            return {"claim_policy": number}
        active = _active_policies(tracker, self.name())
        return {"claim_policy": active[0].number} if len(active) == 1 else {}

    def validate_claim_policy(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An active policy of this customer, by number or by an unambiguous product name (车险, 重疾险)."""
        if not slot_value:
            return {"claim_policy": None}
        answer = to_half_width(str(slot_value)).upper()
        active = _active_policies(tracker, self.name())
        chosen = [p for p in active if p.number in answer] or [
            p for p in active if p.policy_type in answer or p.product in answer
        ]
        if len(chosen) == 1:
            return {"claim_policy": chosen[0].number}
        dispatcher.utter_message(text="没有找到您名下对应的有效保单，请点击选择或输入完整保单号（P开头）。")
        return {"claim_policy": None}

    def validate_claim_date(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One day, not in the future (今天, 昨天, 上周三, 3月5号 …); a period such as 上周 is asked again."""
        if not slot_value:
            return {"claim_date": None}
        today = system_clock().date()
        found = parse_date_range(str(slot_value), today)
        if found is None:
            return {"claim_date": None}
        if found[0] > today:
            dispatcher.utter_message(text="出险日期不能晚于今天，请重新输入。")
            return {"claim_date": None}
        if found[0] != found[1]:
            dispatcher.utter_message(text="请告诉我具体是哪一天出险的，例如「上周三」或「11月9日」。")
            return {"claim_date": None}
        return {"claim_date": found[0].isoformat()}

    def validate_claim_type(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One of the supported claim types."""
        if not slot_value:
            return {"claim_type": None}
        kind = claim_type_of(str(slot_value))
        return {"claim_type": kind}

    def validate_claim_description(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A short description of 4 to 200 characters."""
        if not slot_value:
            return {"claim_description": None}
        text = str(slot_value).strip()
        if 4 <= len(text) <= 200:
            return {"claim_description": text}
        dispatcher.utter_message(text="请用一两句话（4到200个字）描述事故经过。")
        return {"claim_description": None}


class ActionAskClaimDate(ActionAskAgain):
    """Ask for the day of the accident."""

    slot = "claim_date"


class ActionAskClaimType(ActionAskAgain):
    """Ask for the kind of claim."""

    slot = "claim_type"


class ActionAskClaimPolicy(Action):
    """Ask which policy the claim is for, offering the active policies as buttons."""

    def name(self) -> str:
        """Rasa calls `action_ask_<slot>` to request a slot."""
        return "action_ask_claim_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """List the active policies."""
        buttons = [
            {"title": f"{p.product}（{p.number}）", "payload": f'/inform{{"policy_number": "{p.number}"}}'}
            for p in _active_policies(tracker, self.name())
        ]
        dispatcher.utter_message(text="请问要为哪张保单报案？请选择或输入保单号：", buttons=buttons)
        return []


class ActionAskClaimConfirm(Action):
    """Summarise the claim and ask for confirmation."""

    def name(self) -> str:
        """Rasa calls `action_ask_<slot>` to request a slot."""
        return "action_ask_claim_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Show the collected answers with confirm / cancel buttons."""
        day = date.fromisoformat(tracker.get_slot("claim_date"))
        dispatcher.utter_message(
            text=(
                f"请确认报案信息：\n· 保单号：{tracker.get_slot('claim_policy')}\n· 出险日期：{chinese_date(day)}\n"
                f"· 出险类型：{tracker.get_slot('claim_type')}\n· 经过：{tracker.get_slot('claim_description')}"
            ),
            buttons=[{"title": "确认报案", "payload": "/affirm"}, {"title": "取消", "payload": "/deny"}],
        )
        return []


class ActionFileClaim(Action):
    """File the claim when confirmed and return its number."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_file_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Submit, then clear the form's slots."""
        reset = [SlotSet(slot, None) for slot in SLOTS]
        if tracker.get_slot("claim_confirm") is not True:
            dispatcher.utter_message(text="好的，已取消本次报案。")
            return reset
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, FORM)
            if customer is None:
                return reset + events
            try:
                number = file_claim(
                    session, customer, tracker.get_slot("claim_policy"),
                    date.fromisoformat(tracker.get_slot("claim_date")), tracker.get_slot("claim_type"),
                    tracker.get_slot("claim_description"), system_clock(),
                )
            except AccountServiceError as error:
                dispatcher.utter_message(text=error.message)
                return reset
        dispatcher.utter_message(
            text=f"报案成功，理赔案件号 {number}。理赔人员会在1个工作日内联系您，"
            "请保留好相关票据和照片；可随时问我「理赔进度」。"
        )
        return reset
