"""Recording a `kefu` command's read of customers' personal data in the access audit log (actor kind `cli`,
actor the command and the OS user who ran it)."""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.accounts.models import Customer
from bot.privacy.audit import Access, append


def cli_actor(command: str) -> str:
    """`command` and the OS user running it, e.g. 「kefu db sms (ops)」."""
    return f"{command} ({getpass.getuser()})"


def record_cli_read(
    bind: Engine | Session, command: str, purpose: str, customers: Iterable[int | None], fields: Sequence[str]
) -> None:
    """Append one entry per customer (None: data of no known customer) that `command` read `fields` of."""
    for customer in sorted(set(customers), key=lambda number: (number is None, number or 0)):
        append(bind, Access("cli", cli_actor(command), purpose, customer_id=customer, fields=tuple(fields)))


def customers_of_phones(session: Session, phones: Iterable[str]) -> list[int | None]:
    """The customer holding each phone number, None where no customer does (in order)."""
    wanted = list(phones)
    owners = dict(session.execute(select(Customer.phone, Customer.id).where(Customer.phone.in_(set(wanted)))).all())
    return [owners.get(phone) for phone in wanted]
