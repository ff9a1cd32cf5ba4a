"""Role checks for console routes: `@authenticated` then `@require_role(SUPERVISOR)`.

Who may do what is decided in `bot.handoff.roles`; the constants are re-exported here for the routes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.console.auth import COOKIE, Handler
from bot.core.db import database_session
from bot.handoff.agents import AgentService
from bot.handoff.models import Agent
from bot.handoff.roles import AGENT, APPROVER, EDITOR, OPERATIONS, ROLES, SERVES_TICKETS, SUPERVISOR

__all__ = [
    "AGENT", "APPROVER", "EDITOR", "FORBIDDEN", "OPERATIONS", "ROLES", "SERVES_TICKETS", "SUPERVISOR", "forbidden",
    "require_role", "role_page",
]

FORBIDDEN = "您没有权限访问此页面"
FORBIDDEN_PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问</title></head>'
    f'<body><p id="forbidden">{FORBIDDEN}</p><p><a href="/">返回工作台</a></p></body></html>'
)


def forbidden() -> HTTPResponse:
    """403 with the message the console shows."""
    return response.json({"error": FORBIDDEN}, status=403)


def _check_roles(allowed: tuple[str, ...]) -> None:
    unknown = set(allowed) - set(ROLES)
    if not allowed or unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}" if unknown else "a role check needs at least one role")


def require_role(*allowed: str) -> Callable[[Handler], Handler]:
    """Wrap a handler already wrapped by `authenticated`: 403 unless the agent's role is one of `allowed`."""
    _check_roles(allowed)

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(
            request: Request, session: Session, agent: Agent, csrf: str, *args: Any, **kwargs: Any
        ) -> HTTPResponse:
            if agent.role not in allowed:
                return forbidden()
            return await handler(request, session, agent, csrf, *args, **kwargs)

        return wrapper

    return decorate


def role_page(*allowed: str) -> Callable[[Handler], Handler]:
    """For HTML pages: call `handler(request, session, agent, csrf, ...)` for a logged-in agent whose role is one
    of `allowed`; redirect to the login page when not logged in, a 403 page for another role."""
    _check_roles(allowed)

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            token = request.cookies.get(COOKIE)
            with database_session() as session:
                found = AgentService(session).session_for(token) if token else None
                if found is None:
                    return response.redirect("/login")
                agent, record = found
                if agent.role not in allowed:
                    return response.html(FORBIDDEN_PAGE, status=403)
                return await handler(request, session, agent, record.csrf_token, *args, **kwargs)

        return wrapper

    return decorate
