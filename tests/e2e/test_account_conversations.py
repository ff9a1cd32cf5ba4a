"""Account services end to end: verification, every skill, cancel, FAQ mid-form, lockout, logout."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.accounts.formatting import chinese_date
from bot.accounts.identity_token import sign
from bot.accounts.models import CardLossReport, Customer, SmsOutbox
from bot.core.db import session_factory
from bot.core.settings import current_settings
from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts
from tests.support.chat import ID_LAST4, PHONE, said, verify


def test_balance_after_verification_is_masked(chat: ChatSession, database_url: str) -> None:
    reply = verify(chat, database_url, "帮我查下账户余额")
    assert "尾号3321" in reply and "¥" in reply
    assert not re.search(r"\d{12,}", reply)


def test_newest_few_transactions(chat: ChatSession, database_url: str) -> None:
    reply = verify(chat, database_url, "最近三笔交易")
    assert "您最近的 3 笔交易：" in reply
    assert reply.count("· ") == 3


def test_verified_conversation_does_not_ask_again(chat: ChatSession, database_url: str) -> None:
    verify(chat, database_url, "这个月信用卡要还多少")
    reply = said(chat.send("最近一周的交易"))
    assert "验证" not in reply
    assert "交易" in reply


def test_transactions_in_a_chinese_date_range(chat: ChatSession, database_url: str) -> None:
    reply = verify(chat, database_url, "查一下上个月的交易明细")
    first_of_this_month = datetime.now().date().replace(day=1)
    last_month = first_of_this_month - timedelta(days=1)
    assert f"{last_month.year}年{last_month.month}月1日" in reply
    assert "笔交易" in reply


def test_wrong_codes_lock_verification(chat: ChatSession) -> None:
    chat.send("帮我查下余额")
    chat.send("13987654321")
    chat.send("4567")
    assert "还可以再试 2 次" in said(chat.send("000000"))
    assert "还可以再试 1 次" in said(chat.send("000001"))
    assert "锁定" in said(chat.send("000002"))
    assert "验证码已发送" not in said(chat.send("我的余额"))


def test_unknown_customer_gets_the_same_reply_and_no_sms(chat: ChatSession, database_url: str) -> None:
    chat.send("查余额")
    chat.send("13000000000")
    assert "验证码已发送" in said(chat.send("9999"))
    with session_factory(database_url)() as session:
        sent = session.scalar(select(func.count(SmsOutbox.id)).where(SmsOutbox.phone == "13000000000"))
    assert sent == 0


def test_cancel_during_verification(chat: ChatSession) -> None:
    chat.send("帮我查下账户余额")
    assert "取消" in said(chat.send("算了不查了"))
    assert "手机号" not in said(chat.send("你好"))


def test_a_message_that_answers_nothing_gets_one_reminder_with_the_way_out(chat: ChatSession) -> None:
    chat.send("帮我查下账户余额")
    steps = ((None, "没有识别到手机号码"), (PHONE, "没有识别到身份证号码后4位"), (ID_LAST4, "没有识别到验证码"))
    for answer, step in steps:
        if answer:
            chat.send(answer)
        reply = chat.send("嗯嗯")
        assert len(reply) == 1, reply
        assert step in said(reply) and "算了" in said(reply)


def test_logout_during_verification_stops_it(chat: ChatSession) -> None:
    chat.send("帮我查下账户余额")
    chat.send(PHONE)
    assert "已为您取消" in said(chat.send("退出登录"))
    assert "身份证" not in said(chat.send("你好"))


def test_faq_during_verification_is_answered_and_the_form_resumes(chat: ChatSession) -> None:
    chat.send("帮我查下账户余额")
    reply = said(chat.send("信用卡还款日能改吗"))
    assert "还款日" in reply
    assert "手机号" in reply


def loss_reports(database_url: str) -> int:
    with session_factory(database_url)() as session:
        return int(session.scalar(select(func.count(CardLossReport.id))) or 0)


def test_card_loss_asks_which_card_confirms_and_is_idempotent(chat: ChatSession, database_url: str) -> None:
    before = loss_reports(database_url)
    reply = verify(chat, database_url, "我的信用卡丢了")
    assert "哪张卡" in reply and "8866" in reply and "5102" in reply
    assert "确认挂失尾号8866" in said(chat.send('/inform{"card_tail": "8866"}'))
    first = said(chat.send("确认"))
    case = re.search(r"GS\d+", first)
    assert case, first
    chat.send("我的卡丢了 尾号8866")
    second = said(chat.send("是的"))
    assert case.group() in second
    assert loss_reports(database_url) == before + 1


def test_a_card_is_named_by_its_product_or_by_a_later_message(chat: ChatSession, database_url: str) -> None:
    verify(chat, database_url, "我的卡丢了")
    reply = chat.send("蓝色那张")
    assert len(reply) == 1 and "没有确定是哪张卡" in said(reply) and "尾号5102" in said(reply)
    assert "确认挂失尾号5102" in said(chat.send("车主那张"))
    chat.send("取消")
    assert "确认挂失尾号3321" in said(chat.send("3321那张也丢了"))
    assert "已取消挂失" in said(chat.send("取消"))


def test_declining_the_confirmation_changes_nothing(chat: ChatSession, database_url: str) -> None:
    verify(chat, database_url, "银行卡被偷了要挂失 尾号3095", phone="15012348888", last4="789X")
    assert "已取消挂失" in said(chat.send("不用了"))


def test_file_a_claim_then_track_it(chat: ChatSession, database_url: str) -> None:
    reply = verify(chat, database_url, "我要申请理赔", phone="18655556666", last4="2344")
    if "哪张保单" in reply:
        policy = re.search(r"P\d{10}", reply)
        assert policy
        reply = said(chat.send(f'/inform{{"policy_number": "{policy.group()}"}}'))
    assert "出险日期" in reply
    assert "出险类型" in said(chat.send("昨天"))
    assert "经过" in said(chat.send("意外伤害"))
    assert "请确认报案信息" in said(chat.send("下楼梯时摔倒扭伤了脚踝"))
    filed = said(chat.send("确认"))
    number = re.search(r"C\d{10}", filed)
    assert number, filed
    assert number.group() in said(chat.send("我的理赔到哪一步了"))


def test_a_claim_needs_the_day_of_the_accident(chat: ChatSession, database_url: str) -> None:
    reply = verify(chat, database_url, "我要申请理赔", phone="18655556666", last4="2344")
    if "哪张保单" in reply:
        policy = re.search(r"P\d{10}", reply)
        assert policy
        chat.send(f'/inform{{"policy_number": "{policy.group()}"}}')
    reply = said(chat.send("不知道"))
    assert "没有识别出日期" in reply and "取消" in reply and "已为您取消" not in reply
    assert "具体是哪一天" in said(chat.send("上周"))
    assert "出险类型" in said(chat.send("上周三"))
    reply = chat.send("不太清楚")
    assert len(reply) == 1 and "没有识别出出险类型" in said(reply) and "意外伤害" in said(reply)
    chat.send("意外伤害")
    today = datetime.now().date()
    wednesday = today - timedelta(days=today.weekday() + 7 - 2)
    assert chinese_date(wednesday) in said(chat.send("下楼梯时摔倒扭伤了脚踝"))


def test_logout_ends_verification(chat: ChatSession, database_url: str) -> None:
    verify(chat, database_url, "查一下我的保单", phone="17700001111", last4="5671")
    assert "已为您退出登录" in said(chat.send("退出登录"))
    assert "验证身份" in said(chat.send("查一下我的保单"))


def test_signed_website_token_skips_verification(servers: ServerPorts, database_url: str) -> None:
    with session_factory(database_url)() as session:
        customer = session.scalars(select(Customer.id).where(Customer.phone == "13566667777")).one()
    token = sign(customer, datetime.now() + timedelta(minutes=10), current_settings().secret_key)
    web = ChatSession(servers.rasa_url, channel="web", metadata={"customer_token": token})
    reply = said(web.send("帮我查下账户余额"))
    assert "验证" not in reply and "尾号2468" in reply


def test_forged_token_is_ignored(servers: ServerPorts) -> None:
    web = ChatSession(servers.rasa_url, channel="web", metadata={"customer_token": "eyJzdWIiOjF9.forged"})
    assert "验证身份" in said(web.send("帮我查下账户余额"))


@pytest.mark.parametrize("request_text", ["我的保单", "我的理赔到哪一步了", "最近的交易记录"])
def test_no_personal_data_before_verification(chat: ChatSession, request_text: str) -> None:
    reply = said(chat.send(request_text))
    assert "验证身份" in reply
    assert not re.search(r"尾号\d{4}|P\d{10}|C\d{10}|¥", reply)
