"""Customers end to end (real model, action server and knowledge base): questions about products are answered,
forms never trap, questions with negative words are no complaints, handoff triggers, and follow-ups in context."""

from __future__ import annotations

import re

import pytest

from bot.devtools.shell import ChatSession
from tests.support.chat import said

VERIFICATION = "验证身份"
PHONE_PROMPT = "预留的手机号码"
COMPLAINT_APOLOGY = "非常抱歉给您带来了不好的体验"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("卡被ATM吞了咋办", "吞卡"),
        ("信用卡晚还两天有事吗", "逾期|宽限"),
        ("保险买了后悔能退吗", "犹豫期"),
        ("小剐蹭走保险划算吗", "保费"),
        ("保费能刷信用卡吗", "信用卡"),
        ("挂失要手续费吗", "挂失"),
    ],
)
def test_questions_about_a_product_are_answered_without_verification(
    chat: ChatSession, text: str, answer: str
) -> None:
    reply = said(chat.send(text))
    assert VERIFICATION not in reply and PHONE_PROMPT not in reply
    assert re.search(answer, reply)


@pytest.mark.parametrize("text", ["帮我查下余额", "查一下我的信用卡账单", "我想查交易明细", "看看我的保单"])
def test_requests_for_own_data_still_verify(chat: ChatSession, text: str) -> None:
    assert PHONE_PROMPT in said(chat.send(text))


@pytest.mark.parametrize(
    ("closing", "expected"),
    [("好的谢谢", "不客气"), ("算了 不查了", "已为您取消"), ("先不弄了", "已为您取消"), ("拜拜", "再见")],
)
def test_closing_words_end_verification(chat: ChatSession, closing: str, expected: str) -> None:
    chat.send("帮我查下余额")
    assert expected in said(chat.send(closing))
    assert PHONE_PROMPT not in said(chat.send("信用卡年费怎么免"))


def test_chitchat_and_questions_in_a_form_are_answered_and_the_question_asked_again(chat: ChatSession) -> None:
    chat.send("帮我查下余额")
    greeting = said(chat.send("你好"))
    assert "智能客服" in greeting and PHONE_PROMPT in greeting
    answer = said(chat.send("信用卡年费怎么免"))
    assert "年费" in answer and PHONE_PROMPT in answer


def test_two_messages_that_answer_nothing_end_the_form(chat: ChatSession) -> None:
    chat.send("帮我查下余额")
    assert "没有识别到手机号码" in said(chat.send("嗯嗯"))
    ended = said(chat.send("嗯嗯"))
    assert "已先为您取消本次办理" in ended and "没有识别到手机号码" not in ended
    assert PHONE_PROMPT not in said(chat.send("信用卡年费怎么免"))


@pytest.mark.parametrize("nonsense", ["dfgsdfg", "啦啦啦啦啦"])
def test_out_of_scope_nonsense_in_a_form_gets_the_reminder_not_the_same_question(
    chat: ChatSession, nonsense: str
) -> None:
    chat.send("帮我查下余额")
    assert "没有识别到手机号码" in said(chat.send(nonsense))
    assert "已先为您取消本次办理" in said(chat.send(nonsense))


def test_full_width_digits_answer_the_verification_questions(chat: ChatSession) -> None:
    chat.send("帮我查下余额")
    assert "身份证号码后4位" in said(chat.send("１３８１２３４５６７８"))
    assert "验证码" in said(chat.send("１２３４"))


def test_stopping_a_branch_search_says_it_was_cancelled(chat: ChatSession) -> None:
    chat.send("我想找个网点")
    assert "已为您取消" in said(chat.send("不找了"))


@pytest.mark.parametrize("text", ["APP登不进去咋办", "理财会不会亏本", "转账没到账怎么回事", "信用卡还不上会怎么样"])
def test_questions_with_negative_words_are_no_complaints(chat: ChatSession, text: str) -> None:
    reply = said(chat.send(text))
    assert COMPLAINT_APOLOGY not in reply and "留言" not in reply


def test_a_clear_complaint_is_handed_over(chat: ChatSession) -> None:
    assert COMPLAINT_APOLOGY in said(chat.send("你们服务太差了 我要投诉"))


def test_a_claim_refusal_with_a_complaint_goes_to_a_human_with_priority(chat: ChatSession) -> None:
    assert "优先安排人工客服" in said(chat.send("凭什么拒赔 我要投诉"))


def test_the_second_rejection_in_a_row_hands_over(chat: ChatSession) -> None:
    chat.send("信用卡提额怎么弄")
    assert "换个说法" in said(chat.send("不对"))
    assert "留言" in said(chat.send("还是不对"))


def test_a_rejection_after_the_rephrased_answer_hands_over(chat: ChatSession) -> None:
    chat.send("信用卡提额怎么弄")
    assert "换个说法" in said(chat.send("不对"))
    chat.send("信用卡年费怎么免")
    assert "留言" in said(chat.send("还是不对啊"))


def test_branch_follow_ups_answer_about_the_branches_just_listed(chat: ChatSession) -> None:
    listed = said(chat.send("北京朝阳区的网点"))
    assert "朝阳支行" in listed
    hours = said(chat.send("周日营业吗"))
    assert "朝阳支行：营业时间：" in hours
    assert "朝阳支行：电话：010-85120301" in said(chat.send("电话多少"))


@pytest.mark.parametrize("question", ["平时几点关门", "週六開不開", "周末开门的是哪几个"])
def test_any_question_about_the_listed_branches_gets_their_details(chat: ChatSession, question: str) -> None:
    chat.send("北京朝阳区的网点")
    assert "朝阳支行：营业时间：" in said(chat.send(question))


def test_an_out_of_scope_question_after_a_branch_list_is_no_branch_search(chat: ChatSession) -> None:
    chat.send("北京朝阳区的网点")
    reply = said(chat.send("北京明天天气怎么样"))
    assert "朝阳支行" not in reply and "超出了我的服务范围" in reply


def test_a_short_reply_to_the_offered_options_picks_the_option_it_names(chat: ChatSession) -> None:
    chat.send("密码忘了")
    assert "信用卡密码忘了怎么办" in [button["title"] for button in chat.buttons]
    reply = said(chat.send("信用卡的"))
    assert VERIFICATION not in reply
    assert "信用卡" in reply and "密码" in reply


def test_naming_another_kind_after_an_answer_asks_the_same_about_it(chat: ChatSession) -> None:
    chat.send("借记卡每年要交年费不")
    reply = said(chat.send("信用卡的"))
    assert VERIFICATION not in reply
    assert "首年免年费" in reply


@pytest.mark.parametrize("phone", ["150 1234 8888", "135-6666-7777", "13888888888"])
def test_phone_numbers_with_88_in_them_answer_the_verification_and_are_no_goodbye(
    chat: ChatSession, phone: str
) -> None:
    chat.send("帮我查下余额")
    reply = said(chat.send(phone))
    assert "再见" not in reply and "已为您取消" not in reply
    assert "身份证号码后4位" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [("北京海澱區有網點嗎", "中关村支行"), ("哈尔滨有你们银行吗 想去柜台办点事", "哈尔滨暂无本行网点")],
)
def test_a_request_for_branches_in_a_named_place_searches_the_branches(
    chat: ChatSession, text: str, expected: str
) -> None:
    assert expected in said(chat.send(text))


@pytest.mark.parametrize("text", ["我尾号0457的卡 帮我看看里面的钱还在不在", "我的就是丢了 你直接帮我挂了吧"])
def test_an_unusually_phrased_request_for_own_data_still_verifies(chat: ChatSession, text: str) -> None:
    assert PHONE_PROMPT in said(chat.send(text))


def test_a_phone_number_after_thanks_continues_the_verification(chat: ChatSession) -> None:
    assert PHONE_PROMPT in said(chat.send("查一下我的保单"))
    assert "不客气" in said(chat.send("好的谢谢"))
    assert "身份证号码后4位" in said(chat.send("13987654321"))


def test_two_non_answers_in_a_row_end_the_form_instead_of_the_same_reminder(chat: ChatSession) -> None:
    assert PHONE_PROMPT in said(chat.send("信用卡丢了帮我挂了吧"))
    assert "没有识别到手机号码" in said(chat.send("啥"))
    reply = said(chat.send("1381234"))
    assert "已先为您取消本次办理" in reply and "没有识别到手机号码" not in reply


@pytest.mark.parametrize("text", ["先這樣吧 回頭再說", "等会再说"])
def test_putting_it_off_inside_a_form_ends_the_form(chat: ChatSession, text: str) -> None:
    chat.send("我的理賠進度查一下")
    assert "身份证号码后4位" in said(chat.send("13900007777"))
    assert "已为您取消" in said(chat.send(text))


def test_a_bare_request_after_an_answer_about_a_lookup_is_that_lookup(chat: ChatSession) -> None:
    assert VERIFICATION not in said(chat.send("一般怎么查卡里的余额啊，有几种办法"))
    assert PHONE_PROMPT in said(chat.send("那你直接帮我查一下吧"))


def test_a_score_for_the_service_is_a_rating_and_a_presence_check_a_greeting(chat: ChatSession) -> None:
    assert "感谢您的评价" in said(chat.send("给你打5分⭐⭐⭐⭐⭐"))
    assert "请问有什么可以帮您" in said(chat.send("在吗在吗"))
