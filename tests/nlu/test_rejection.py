"""A 「不」 that rejects is told from a 不/没 that only ends a follow-up question."""

from __future__ import annotations

import pytest

from bot.nlu.rejection import is_bare_rejection, rejects


@pytest.mark.parametrize("text", ["不对", "不", "不是我要的", "没用啊", "还是不对", "答非所问", "nope", "错了吧"])
def test_rejections_reject(text: str) -> None:
    assert rejects(text)


@pytest.mark.parametrize(
    "text", ["办一个要钱不", "财务说要盖章的", "到账了没", "那拿来装修房子可以吧", "我是问取现能不能也免息"]
)
def test_follow_up_questions_do_not_reject(text: str) -> None:
    assert not rejects(text)


@pytest.mark.parametrize("text", ["不是这个意思", "没用", "不对不对", "还是不对啊", "答非所问"])
def test_short_nos_that_name_nothing_are_bare_rejections(text: str) -> None:
    assert is_bare_rejection(text)


@pytest.mark.parametrize(
    "text",
    ["不对 我问的是怎么取现", "要不要先挂失", "那有没有保本的", "中途不想投了能停掉嗎", "是银行卡的 不是app",
     "別人可以幫我辦嗎", "没错", "不错 就是这个", "不好意思", "行不行", "好不好"],
)
def test_questions_and_corrections_are_no_bare_rejections(text: str) -> None:
    assert not is_bare_rejection(text)
