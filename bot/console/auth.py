"""Console login: session cookie, CSRF check on every change, and the logged-in agent for handlers."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core.db import database_session
from bot.handoff.agents import SESSION_LIFETIME, AgentService

COOKIE = "kefu_console"
CSRF_HEADER = "X-CSRF-Token"

Handler = Callable[..., Awaitable[HTTPResponse]]


def set_session_cookie(reply: HTTPResponse, token: str) -> None:
    """An HttpOnly, SameSite=Strict cookie that scripts and other sites cannot use."""
    reply.cookies[COOKIE] = token
    cookie = reply.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = int(SESSION_LIFETIME.total_seconds())


def clear_session_cookie(reply: HTTPResponse) -> None:
    """Remove the session cookie."""
    reply.cookies[COOKIE] = ""
    reply.cookies[COOKIE]["max-age"] = 0
    reply.cookies[COOKIE]["path"] = "/"


def authenticated(handler: Handler) -> Handler:
    """Call `handler(request, session, agent, csrf, ...)` for a logged-in agent; 401 otherwise.

    Requests that change anything must carry the session's CSRF token in the `X-CSRF-Token` header.
    """

    @functools.wraps(handler)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        token = request.cookies.get(COOKIE)
        with database_session() as session:
            found = AgentService(session).session_for(token) if token else None
            if found is None:
                return response.json({"error": "请先登录"}, status=401)
            agent, record = found
            if request.method not in ("GET", "HEAD") and not hmac.compare_digest(
                request.headers.get(CSRF_HEADER, ""), record.csrf_token
            ):
                return response.json({"error": "请求已失效，请刷新页面"}, status=403)
            return await handler(request, session, agent, record.csrf_token, *args, **kwargs)

    return wrapper

