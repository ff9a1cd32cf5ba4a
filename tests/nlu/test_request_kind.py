"""Personal requests versus general questions about the same product."""

from __future__ import annotations

import pytest

from bot.nlu.request_kind import RequestKind, reads_as_general, request_kind


@pytest.mark.parametrize(
    "text",
    ["卡被取款机吞了怎么办", "信用卡晚还几天有影响吗", "保险买了后悔能退吗", "小剐蹭走保险划算吗", "保费能刷信用卡吗",
     "账单日是什么意思", "挂失要手续费不", "理赔一般要多久？", "信用卡帳單怎麼查",
     "纸质保单是快递寄给我的 那个反悔期按哪天起算", "我那台纯电的 三电系统出毛病车险包吗",
     "想升VIP 得在你们这存多少", "定寿保额一般买多少", "提前还款要交多少违约金",
     "天天加班 万一猝死了意外险管不管", "那拿来装修房子行不行", "境外消费返现有没有"],
)
def test_questions_about_a_product_read_as_general(text: str) -> None:
    assert request_kind(text) is RequestKind.GENERAL
    assert reads_as_general(text)


@pytest.mark.parametrize(
    "text",
    ["帮我查下账单", "给我看看我的保单", "我卡丢了", "查余额", "尾号1234的交易", "我要报案", "7789那张也丢了",
     "查一下我的理赔", "我那张卡", "我的工资卡", "我这个月信用卡得还", "我这期账单"],
)
def test_requests_about_own_things_read_as_personal(text: str) -> None:
    assert request_kind(text) is RequestKind.PERSONAL
    assert not reads_as_general(text)


@pytest.mark.parametrize(
    "text",
    ["银行卡里还剩多少", "户头里还有钱没", "工资到账了吗", "这个月账单出来没", "上周消费了哪些", "我的退款批下来了吗",
     "报案处理到哪一步了", "审批结果出来了没有", "我是不是办过你们的信用卡", "我在你们这开的户查一下",
     "有笔500的扣款是啥", "我的医保报销到哪了", "申请通过没有", "房贷批了没", "我这张卡里还有钱吗"],
)
def test_where_the_own_money_or_case_stands_is_not_general(text: str) -> None:
    """The state of the customer's own balance, bill, payment or case: a request, even when it asks how much."""
    assert request_kind(text) in (RequestKind.PERSONAL, RequestKind.MIXED)
    assert not reads_as_general(text)


@pytest.mark.parametrize(
    "text",
    ["转账一般多久到账", "贷款多久能批下来", "贷款能批下来吗", "理赔审核要几天", "利率降了吗", "转账是实时到账吗",
     "理财没到期能取出来吗", "卡里的钱会不会被冻结", "卡里没钱了会扣年费吗", "赔款能打到我老公卡上吗"],
)
def test_how_such_things_go_in_general_stays_general(text: str) -> None:
    assert reads_as_general(text)


def test_a_message_with_both_cues_is_mixed_and_not_general() -> None:
    assert request_kind("我的卡丢了怎么挂失") is RequestKind.MIXED
    assert not reads_as_general("我的卡丢了怎么挂失")


@pytest.mark.parametrize("text", ["理赔进度", "好的谢谢", "13812345678"])
def test_messages_without_cues_are_neutral(text: str) -> None:
    assert request_kind(text) is RequestKind.NEUTRAL


@pytest.mark.parametrize("text", ["这份保险是我妈给我买的 现在能改受益人吗", "同事给我办的那种卡 年费怎么算"])
def test_something_another_person_got_for_the_customer_asks_no_action(text: str) -> None:
    assert request_kind(text) is RequestKind.GENERAL
