"""In-chat identity verification (phone + last 4 of the ID + one-time code), resume, logout, cancel."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accounts import ActionCheckBalance, ActionCheckCreditCardBill, ActionCheckTransactions
from actions.asking import ActionAskAgain
from actions.insurance import ActionCheckClaimStatus, ActionCheckPolicy
from bot.accounts.access import binding_offer_due, end_other_binding, identity_service, log_out
from bot.accounts.identity import IdentityResult, IdentityStatus, normalize_phone
from bot.core.db import database_session
from bot.core.masking import mask_phone
from bot.core.patterns import ID_LAST4, PHONE_DIGITS
from bot.core.text import to_half_width
from bot.privacy.seal import seal, unseal

CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
# The digits of a message may run on past the number (「13812345678，后四位1234」 -> 138123456781234).
LEADING_PHONE = re.compile(PHONE_DIGITS)
LOCKED_TEXT = "验证失败次数过多，为保护您的账户安全，身份验证已锁定至 {until:%H:%M}。如需帮助请输入「转人工」。"
RESUMABLE_SKILLS: dict[str, type[Action]] = {
    skill().name(): skill
    for skill in (
        ActionCheckBalance,
        ActionCheckTransactions,
        ActionCheckCreditCardBill,
        ActionCheckPolicy,
        ActionCheckClaimStatus,
    )
}
OFFER_BINDING = "utter_offer_wechat_binding"
TASK_SLOTS = ("pending_skill", "phone", "id_last4", "otp_code", "verification_status", "loss_card",
              "loss_confirm", "claim_policy", "claim_date", "claim_type", "claim_description", "claim_confirm")


def _locked(dispatcher: CollectingDispatcher, result: IdentityResult) -> dict[str, Any]:
    dispatcher.utter_message(text=LOCKED_TEXT.format(until=result.until))
    return {"id_last4": "-", "otp_code": "-", "verification_status": "locked"}


class ValidateVerifyForm(FormValidationAction):
    """Check each answer of `verify_form` and drive the one-time code."""

    def name(self) -> str:
        """The validation action of `verify_form`."""
        return "validate_verify_form"

    def validate_phone(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An 11-digit mainland mobile number, kept sealed in the conversation."""
        if not slot_value:
            return {"phone": None}
        match = LEADING_PHONE.search(normalize_phone(str(slot_value)))
        if match:
            return {"phone": seal(match.group())}
        return {"phone": None}

    def validate_id_last4(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Four characters (the last may be X), then send the code."""
        if not slot_value:
            return {"id_last4": None}
        match = ID_LAST4.search(to_half_width(str(slot_value)))
        if not match:
            return {"id_last4": None}
        phone = unseal(tracker.get_slot("phone"))
        if phone is None:
            dispatcher.utter_message(text="请重新输入您在本行预留的手机号码。")
            return {"id_last4": None, "phone": None}
        with database_session() as session:
            result = identity_service(session).start(tracker.sender_id, phone, match.group().upper())
        if result.status is IdentityStatus.LOCKED:
            return _locked(dispatcher, result)
        dispatcher.utter_message(
            text=f"如信息无误，验证码已发送至 {mask_phone(phone)}，5分钟内有效，请勿告诉他人。"
        )
        return {"id_last4": "****"}

    def validate_otp_code(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Check the code: verified, try again (with attempts left), expired (resent) or locked."""
        if not slot_value:
            return {"otp_code": None}
        match = CODE.search(to_half_width(str(slot_value)))
        if not match:
            return {"otp_code": None}
        with database_session() as session:
            result = identity_service(session).verify(tracker.sender_id, match.group())
            if result.status is IdentityStatus.VERIFIED:
                end_other_binding(session, tracker.sender_id, tracker.get_latest_input_channel(), result.customer_id)
        if result.status is IdentityStatus.VERIFIED:
            dispatcher.utter_message(text="身份验证成功。")
            return {"otp_code": "******", "verification_status": "verified"}
        if result.status is IdentityStatus.LOCKED:
            return _locked(dispatcher, result)
        if result.status is IdentityStatus.WRONG_CODE:
            dispatcher.utter_message(text=f"验证码不正确，您还可以再试 {result.attempts_remaining} 次。")
            return {"otp_code": None}
        dispatcher.utter_message(text="验证码已失效，请重新输入手机号获取新的验证码。")
        return {"otp_code": None, "id_last4": None, "phone": None}


class ActionAskPhone(ActionAskAgain):
    """Ask for the phone number."""

    slot = "phone"


class ActionAskIdLast4(ActionAskAgain):
    """Ask for the last four characters of the ID number."""

    slot = "id_last4"


class ActionAskOtpCode(ActionAskAgain):
    """Ask for the one-time code."""

    slot = "otp_code"


class ActionResumeAfterVerification(Action):
    """After `verify_form`: continue with the skill the customer asked for, if verification succeeded."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_resume_after_verification"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Run the pending skill (or open its form), then forget the verification slots; on WeChat, after
        a skill that answers at once, offer to bind the OpenID to the customer."""
        pending = tracker.get_slot("pending_skill")
        events: list[dict[str, Any]] = [SlotSet(slot, None) for slot in TASK_SLOTS]
        status = tracker.get_slot("verification_status")
        if status is None:
            dispatcher.utter_message(response="utter_form_abandoned")
        if status != "verified":
            return events
        skill = RESUMABLE_SKILLS.get(pending) if pending else None
        if pending and skill is None:
            return [*events, FollowupAction(pending)]
        if skill is not None:
            events += await skill().run(dispatcher, tracker, domain)
        with database_session() as session:
            offer = binding_offer_due(session, tracker.sender_id, tracker.get_latest_input_channel())
        return [*events, FollowupAction(OFFER_BINDING)] if offer else events


class ActionLogout(Action):
    """End the conversation's verification and WeChat binding (「退出登录」), and any task under way with it."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_logout"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Log out, stop the running form if any, and confirm."""
        with database_session() as session:
            ended = log_out(session, tracker.sender_id, tracker.get_latest_input_channel())
        in_form = bool(tracker.active_loop.get("name"))
        events: list[dict[str, Any]] = [SlotSet(slot, None) for slot in TASK_SLOTS]
        if in_form:
            events = [ActiveLoop(None), SlotSet("requested_slot", None), *events]
        if ended:
            dispatcher.utter_message(text="已为您退出登录，再次查询个人信息需要重新验证身份。")
        elif in_form:
            dispatcher.utter_message(text="好的，已为您取消本次办理。还有什么可以帮您？")
        else:
            dispatcher.utter_message(text="您当前未登录，无需退出。")
        return events


CLOSING_RESPONSES = {"thank": "utter_you_are_welcome", "goodbye": "utter_goodbye"}


class ActionCancelTask(Action):
    """Stop whatever form was running (「算了」「不办了」, or thanks and goodbye) and forget its answers."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_cancel_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Confirm the cancellation (or answer the thanks or goodbye) and clear the task slots."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        closing = CLOSING_RESPONSES.get(intent)
        if closing == "utter_goodbye":
            dispatcher.utter_message(text="好的，已为您取消本次办理。")
        if closing:
            dispatcher.utter_message(response=closing)
        else:
            dispatcher.utter_message(text="好的，已为您取消本次办理。还有什么可以帮您？")
        return [SlotSet(slot, None) for slot in TASK_SLOTS]
