"""The dashboard as CSV: one rectangular table that spreadsheets open with the Chinese intact."""

from __future__ import annotations

import csv
import io

import pytest

from bot.core.db import session_factory
from bot.operations.dashboard import Period, collect, summary
from bot.operations.dashboard_csv import as_csv
from tests.operations.event_log import write_event_log


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("dashboard_csv")
    url = write_event_log(f"sqlite:///{folder / 'kefu.db'}", folder)
    with session_factory(url)() as session:
        return summary(collect(session, Period()))


def test_the_csv_has_the_period_each_day_channel_agent_and_entry(figures: dict) -> None:
    text = as_csv(figures, "2026-11-28~2026-11-30")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:3] == ["维度", "取值", "会话数"] and all(len(row) == len(rows[0]) for row in rows)
    assert rows[1] == ["合计", "2026-11-28~2026-11-30", "5", "0.6", "0.4", "0.25", "0.125", "3", "3.0", "105.0",
                       "900.0", ""]
    by_key = {(row[0], row[1]): row for row in rows}
    assert by_key[("日期", "2026-11-30")][2:9] == ["0", "0.0", "0.0", "0.0", "0.0", "1", ""]
    assert by_key[("渠道", "wechat")][2:4] == ["1", "0.0"]
    assert by_key[("客服", "小王")][7:11] == ["1", "4.0", "90.0", "600.0"]
    assert by_key[("问答", "card-001 借记卡丢了怎么挂失")][-1] == "4"
