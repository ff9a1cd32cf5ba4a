"""Customer-facing Chinese text for the account and insurance skills (always masked)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.accounts.formatting import chinese_date, money
from bot.accounts.transaction_query import COUNT_DAYS
from bot.accounts.views import BalanceView, BillView, ClaimView, PolicyView, TransactionPage

KIND_NAMES = {"debit": "储蓄卡", "credit": "信用卡"}
CLAIM_NEXT_STEPS = {
    "已报案": "我们已收到报案，理赔人员会在1个工作日内与您联系。",
    "审核中": "案件正在审核，一般在资料齐全后10个工作日内完成。",
    "补充材料": "需要您补充理赔材料，请留意短信通知或在APP「理赔进度」中查看所需材料。",
    "已结案": "案件已结案。",
    "已赔付": "赔款已支付到您指定的账户，请注意查收。",
}


# Card states in which the card cannot be used, as the customer is told.
CARD_STOPPED = {"lost": "已挂失", "frozen": "已冻结"}


def balances_text(items: Sequence[BalanceView]) -> str:
    """Each deposit balance, and each credit card's debt and available credit."""
    if not items:
        return "没有找到符合条件的账户，请核对卡片类型或卡号后四位。"
    lines = ["您的账户情况如下："]
    for item in items:
        stopped = CARD_STOPPED.get(item.card_status)
        card = "，".join(part for part in (f"尾号{item.card_tail}" if item.card_tail else "", stopped) if part)
        card = f"（{card}）" if card else ""
        if item.kind == "credit":
            available = "" if stopped else f"，可用额度 {money(item.available_credit or 0)}"
            lines.append(f"· {item.product_name}{card}：当前欠款 {money(item.balance)}{available}")
        else:
            lines.append(f"· {item.product_name}{card}：{'账户余额' if stopped else '可用余额'} {money(item.balance)}")
    if any(item.card_status in CARD_STOPPED for item in items):
        lines.append("已挂失或冻结的卡暂不能使用，如需补卡或解冻，请携带本人身份证件到网点办理。")
    return "\n".join(lines)


def _period(start: date, end: date) -> str:
    return chinese_date(start) if start == end else f"{chinese_date(start)}至{chinese_date(end)}"


def _rows_shown(page: TransactionPage) -> str:
    first = (page.page - 1) * page.page_size + 1
    return f"以下为第 {first}-{first + len(page.items) - 1} 笔"


def _newest_heading(page: TransactionPage, start: date, end: date, newest: int) -> str:
    """「您最近的 3 笔交易：」, with the dates when the customer gave some (not the default year)."""
    dated = (end - start).days != COUNT_DAYS - 1
    if page.total < newest:
        count = f"{_period(start, end) if dated else '您近一年'}只有 {page.total} 笔交易"
    else:
        count = f"{_period(start, end) if dated else '您'}最近的 {page.total} 笔交易"
    return f"{count}：" if page.total <= page.page_size else f"{count}，{_rows_shown(page)}："


def transactions_text(page: TransactionPage, start: date, end: date, newest: int | None = None) -> str:
    """One page of transactions for the date range, newest first (only the newest few when `newest` is set)."""
    if page.total == 0:
        return f"{_period(start, end)}没有交易记录。"
    if newest is not None:
        heading = _newest_heading(page, start, end, newest)
    else:
        heading = f"{_period(start, end)}共有 {page.total} 笔交易，{_rows_shown(page)}："
    lines = [heading]
    for item in page.items:
        card = f" 尾号{item.card_tail}" if item.card_tail else ""
        label = item.counterparty or item.description
        lines.append(f"· {item.posted_at:%m-%d %H:%M} {label} {money(item.amount)}{card}")
    return "\n".join(lines)


def bill_text(bill: BillView | None) -> str:
    """The latest statement of a credit card."""
    if bill is None:
        return "暂时没有查到您的信用卡账单。"
    return (
        f"{bill.product_name}（尾号{bill.card_tail}）{bill.period} 账单：\n"
        f"· 本期应还：{money(bill.statement_amount)}\n"
        f"· 最低还款：{money(bill.minimum_payment)}\n"
        f"· 已还金额：{money(bill.paid_amount)}，尚需还款 {money(bill.outstanding)}\n"
        f"· 到期还款日：{chinese_date(bill.due_date)}"
    )


def policies_text(items: Sequence[PolicyView]) -> str:
    """The customer's policies with cover, premium and period."""
    if not items:
        return "没有查到您名下的保单，请核对保单号。"
    lines = ["您的保单如下："]
    for policy in items:
        lines.append(
            f"· {policy.product}（{policy.policy_type}，保单号 {policy.number}）：{policy.status}，"
            f"保额 {money(policy.sum_insured)}，保费 {money(policy.premium)}，"
            f"保障期 {chinese_date(policy.start_date)}至{chinese_date(policy.end_date)}"
        )
    return "\n".join(lines)


def claim_text(claim: ClaimView | None) -> str:
    """Where a claim stands and what happens next."""
    if claim is None:
        return "没有查到您名下的理赔案件，请核对理赔案件号。"
    amount = f"，赔付金额 {money(claim.amount)}" if claim.amount is not None else ""
    return (
        f"理赔案件 {claim.number}（{claim.product}，{claim.claim_type}，出险日期 {chinese_date(claim.incident_date)}）"
        f"当前状态：{claim.status}{amount}。{CLAIM_NEXT_STEPS.get(claim.status, '')}"
    )
