"""The load benchmark's first-message timing reaches the live bot on every channel and counts only answers."""

from __future__ import annotations

from benchmarks.bench_load import FIRST_MESSAGES, first_messages_by_channel
from bot.runtime.serve import ServerPorts
from tests.support.servers import WeChatAccount
from tests.support.wechat_platform import FakeWeChatApi


def test_first_messages_are_timed_on_the_web_wechat_and_the_widget(
    servers: ServerPorts, wechat_account: WeChatAccount
) -> None:
    with FakeWeChatApi(wechat_account.api_port, wechat_account.app_id, wechat_account.app_secret):
        timings = first_messages_by_channel(servers.rasa_url, wechat_account)
    assert set(timings) == {"web", "wechat", "widget"}
    for channel in timings.values():
        assert list(channel) == list(FIRST_MESSAGES)
        assert all(ms > 0 for ms in channel.values())
