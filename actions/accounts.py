"""Balances, transactions and credit-card bills of the verified customer."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.gate import customer_or_verify, request_entity, request_text
from bot.accounts import queries
from bot.accounts.access import database_session
from bot.accounts.replies import balances_text, bill_text, transactions_text
from bot.accounts.transaction_query import TransactionQuery, parse_transaction_query

PAGE_SIZE = 10


class ActionCheckBalance(Action):
    """All balances, or those of the card named by type or last four digits."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_balance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Verify if needed, then list the balances."""
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return events
            intents = ["check_balance"]
            found = queries.balances(
                session,
                customer,
                card_type=request_entity(tracker, intents, "card_type"),
                tail=request_entity(tracker, intents, "card_tail"),
            )
        dispatcher.utter_message(text=balances_text(found))
        return []


class ActionCheckTransactions(Action):
    """Transactions in a Chinese date range, with direction and amount filters, ten at a time."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_transactions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Verify if needed; a `page` entity continues the previous query."""
        intents = ["check_transactions"]
        page_value = request_entity(tracker, intents, "page")
        stored = tracker.get_slot("transaction_query")
        if page_value and stored:
            query, page = TransactionQuery.from_json(stored), max(int(page_value), 1)
        else:
            text = request_text(tracker, intents)
            query = parse_transaction_query(text, date.today(), request_entity(tracker, intents, "card_tail"))
            page = 1
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return events
            found = queries.transactions(
                session, customer, query.start, query.end, direction=query.direction,
                min_amount=query.min_amount, max_amount=query.max_amount, tail=query.tail,
                page=page, page_size=PAGE_SIZE,
            )
        buttons = []
        if found.has_more:
            buttons = [{"title": "查看更多", "payload": f'/check_transactions{{"page": "{page + 1}"}}'}]
        dispatcher.utter_message(text=transactions_text(found, query.start, query.end), buttons=buttons)
        return [SlotSet("transaction_query", query.to_json())]


class ActionCheckCreditCardBill(Action):
    """Statement amount, minimum payment and due date of the latest credit-card bill."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_credit_card_bill"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Verify if needed, then show the bill."""
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return events
            tail = request_entity(tracker, ["check_credit_card_bill"], "card_tail")
            bill = queries.latest_bill(session, customer, tail=tail)
        dispatcher.utter_message(text=bill_text(bill))
        return []
