"""Balances, transactions and credit-card bills of the verified customer."""

from __future__ import annotations

from datetime import date

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.orm import Session

from actions.gate import SkillReply, VerifiedQueryAction, request_entity, request_text
from bot.accounts import queries
from bot.accounts.replies import balances_text, bill_text, transactions_text
from bot.accounts.transaction_query import TransactionQuery, parse_transaction_query

PAGE_SIZE = 10
TRANSACTION_INTENTS = ["check_transactions"]


class ActionCheckBalance(VerifiedQueryAction):
    """All balances, or those of the card named by type or last four digits."""

    offer = "utter_offer_check_balance"
    reads = ("card.tail", "card.product", "account.balance", "credit_card.limit", "credit_card.debt")

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_balance"

    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """List the balances."""
        intents = ["check_balance"]
        found = queries.balances(
            session,
            customer,
            card_type=request_entity(tracker, intents, "card_type"),
            tail=request_entity(tracker, intents, "card_tail"),
        )
        return SkillReply(balances_text(found))


def _query_and_page(tracker: Tracker) -> tuple[TransactionQuery, int]:
    """A `page` entity continues the stored query; otherwise the request message is parsed."""
    page_value = request_entity(tracker, TRANSACTION_INTENTS, "page")
    stored = tracker.get_slot("transaction_query")
    if page_value and page_value.isdigit() and stored:
        return TransactionQuery.from_json(stored), max(int(page_value), 1)
    text = request_text(tracker, TRANSACTION_INTENTS)
    tail = request_entity(tracker, TRANSACTION_INTENTS, "card_tail")
    return parse_transaction_query(text, date.today(), tail), 1


class ActionCheckTransactions(VerifiedQueryAction):
    """Transactions in a Chinese date range, with direction and amount filters, ten at a time."""

    offer = "utter_offer_check_transactions"
    reads = ("card.tail", "transaction.date", "transaction.amount", "transaction.counterparty",
             "transaction.description")

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_transactions"

    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """One page of transactions; a 查看更多 button when more exist."""
        query, page = _query_and_page(tracker)
        found = queries.transactions(
            session, customer, query.start, query.end, direction=query.direction,
            min_amount=query.min_amount, max_amount=query.max_amount, tail=query.tail,
            page=page, page_size=PAGE_SIZE, newest=query.count,
        )
        buttons = []
        if found.has_more:
            buttons = [{"title": "查看更多", "payload": f'/check_transactions{{"page": "{page + 1}"}}'}]
        return SkillReply(
            transactions_text(found, query.start, query.end, query.count),
            buttons=buttons,
            events=[SlotSet("transaction_query", query.to_json())],
        )


class ActionCheckCreditCardBill(VerifiedQueryAction):
    """Statement amount, minimum payment and due date of the latest credit-card bill."""

    offer = "utter_offer_check_credit_card_bill"
    reads = ("card.tail", "card.product", "bill.amount", "bill.minimum_payment", "bill.due_date")

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_credit_card_bill"

    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """The latest bill."""
        tail = request_entity(tracker, ["check_credit_card_bill"], "card_tail")
        return SkillReply(bill_text(queries.latest_bill(session, customer, tail=tail)))
