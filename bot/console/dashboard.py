"""The supervisor's dashboard in the console: the `/ops` page, the JSON it polls, its CSV export, and the Apache
ECharts script it draws with (installed from npm with the widget's packages, `npm ci --prefix widget`).

The figures are `bot.operations.dashboard`'s; this module only reads the filters and serves them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.console.auth import authenticated
from bot.console.roles import OPERATIONS, require_role, role_page
from bot.core.clock import system_clock
from bot.core.paths import PROJECT_ROOT
from bot.handoff.models import Agent
from bot.operations.dashboard import Period, collect, every_day, summary
from bot.operations.dashboard_csv import as_csv

STATIC_DIR = Path(__file__).resolve().parent / "static"
ECHARTS = PROJECT_ROOT / "widget" / "node_modules" / "echarts" / "dist" / "echarts.min.js"
MISSING_ECHARTS = "图表组件缺失，请先运行 make run（会执行 npm ci --prefix widget）。"
DEFAULT_DAYS = 7
MAX_DAYS = 366
MAX_CHANNEL = 32


class FilterError(ValueError):
    """Filters the dashboard cannot use; the message is shown to the supervisor."""


@dataclass(frozen=True)
class Filters:
    """Whole days from `first` to `last` (both included), for one channel or all (None)."""

    first: date
    last: date
    channel: str | None = None

    @classmethod
    def from_args(cls, args: Any, today: date) -> Filters:
        """`from`, `to` (YYYY-MM-DD; by default the last seven days) and `channel` (empty for all)."""
        last = _day(args.get("to"), today)
        first = _day(args.get("from"), last - timedelta(days=DEFAULT_DAYS - 1))
        if first > last:
            raise FilterError("开始日期不能晚于结束日期")
        if (last - first).days + 1 > MAX_DAYS:
            raise FilterError(f"一次最多查询 {MAX_DAYS} 天")
        channel = (args.get("channel") or "").strip()
        if len(channel) > MAX_CHANNEL:
            raise FilterError("渠道名称不正确")
        return cls(first, last, channel or None)

    @property
    def label(self) -> str:
        """`2026-11-24~2026-11-30`."""
        return f"{self.first.isoformat()}~{self.last.isoformat()}"

    @property
    def file_name(self) -> str:
        """`kefu-dashboard-2026-11-24-2026-11-30[-channel].csv`, in ASCII letters, digits, `-` and `_`."""
        name = f"kefu-dashboard-{self.first.isoformat()}-{self.last.isoformat()}"
        if self.channel:
            name += "-" + "".join(char for char in self.channel if char.isascii() and (char.isalnum() or char in "-_"))
        return f"{name}.csv"


def dashboard(session: Session, filters: Filters) -> dict[str, Any]:
    """The dashboard's figures: every day of the period (zeros where nothing happened) and the channels to pick."""
    figures = collect(session, Period.of_days(filters.first, filters.last), filters.channel)
    shown = summary(figures)
    return {
        "period": {"from": filters.first.isoformat(), "to": filters.last.isoformat()},
        "channel": filters.channel,
        "channels": figures.channels,
        **shown,
        "by_day": every_day(shown["by_day"], filters.first, filters.last),
    }


def register_dashboard(app: Sanic) -> None:
    """Add the dashboard's page, JSON, CSV and chart script to the console."""

    @app.get("/ops")
    @role_page(*OPERATIONS)
    async def ops_page(_request: Request, _session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        """The page, for supervisors; the login page for anyone not logged in, a 403 page for other roles."""
        return await response.file(STATIC_DIR / "ops.html", mime_type="text/html; charset=utf-8")

    @app.exception(FilterError)
    async def bad_filters(_request: Request, error: Exception) -> HTTPResponse:
        """A filter the dashboard cannot read (a date, a period too long) is a 400 with the reason."""
        return response.json({"error": str(error)}, status=400)

    @app.get("/api/ops/dashboard")
    @authenticated
    @require_role(*OPERATIONS)
    async def dashboard_json(request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        filters = Filters.from_args(request.args, system_clock().date())
        return response.json(await asyncio.to_thread(dashboard, session, filters))

    @app.get("/api/ops/dashboard.csv")
    @authenticated
    @require_role(*OPERATIONS)
    async def dashboard_csv(request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        filters = Filters.from_args(request.args, system_clock().date())
        figures = await asyncio.to_thread(dashboard, session, filters)
        return response.text(
            as_csv(figures, filters.label), content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filters.file_name}"'},
        )

    @app.get("/vendor/echarts.min.js")
    async def echarts(_request: Request) -> HTTPResponse:
        if not ECHARTS.is_file():
            return response.text(MISSING_ECHARTS, status=503)
        return await response.file(ECHARTS, mime_type="application/javascript; charset=utf-8")


def _day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError("日期格式应为 YYYY-MM-DD") from None
