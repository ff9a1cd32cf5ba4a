"""The agent console web application (Sanic): pages, login and the JSON API the page polls."""

from __future__ import annotations

import asyncio
import logging
import math
from pathlib import Path
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.console.auth import COOKIE, authenticated, clear_session_cookie, set_session_cookie
from bot.console.dashboard import register_dashboard
from bot.console.knowledge import register_knowledge
from bot.console.roles import SERVES_TICKETS, require_role
from bot.console.supervisor import register_supervisor
from bot.console.trail import TICKET_PANEL, client_address, record
from bot.console.views import quick_replies, ticket_view
from bot.content.services import knowledge_base, watch_knowledge_base
from bot.core.db import database_session
from bot.handoff.agents import AgentService
from bot.handoff.config import idle_timeout
from bot.handoff.desk import AgentDesk, DeskError
from bot.handoff.lockout import LoginGuard
from bot.handoff.models import Agent, Ticket
from bot.handoff.queue_figures import bind_queue_gauges
from bot.handoff.rasa_api import RasaApi
from bot.handoff.reviews import inspect_finished
from bot.handoff.tickets import TicketConflict
from bot.observability.endpoint import attach_observability

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SWEEP_SECONDS = 5.0


def create_app(rasa: RasaApi) -> Sanic:
    """The console for agents of the Rasa server behind `rasa`."""
    app = Sanic("kefu_console")
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.static("/static", str(STATIC_DIR))
    attach_observability(app, "console")
    bind_queue_gauges()

    def desk(session: Session) -> AgentDesk:
        return AgentDesk(session, rasa)

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/ready")
    async def ready(_request: Request) -> HTTPResponse:
        """200 when the application database answers (agents can log in and see tickets), else 503."""
        try:
            with database_session() as session:
                session.connection().exec_driver_sql("SELECT 1")
        except SQLAlchemyError:
            return response.json({"ready": False}, status=503)
        return response.json({"ready": True})

    @app.get("/")
    async def index(request: Request) -> HTTPResponse:
        with database_session() as session:
            token = request.cookies.get(COOKIE)
            if not token or AgentService(session).session_for(token) is None:
                return response.redirect("/login")
        return await response.file(STATIC_DIR / "console.html")

    @app.get("/login")
    async def login_page(_request: Request) -> HTTPResponse:
        return await response.file(STATIC_DIR / "login.html")

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        """Log in, unless the username or the address is locked out after too many wrong passwords."""
        username = (request.form.get("username") or "").strip()
        password = request.form.get("password") or ""
        if not username or not password:
            return response.redirect("/login?error=1")
        address = client_address(request)
        with database_session() as session:
            guard = LoginGuard(session)
            locked_until = guard.locked_until(username, address)
            if locked_until is not None:
                record(session, username, "login_locked", address)
                minutes = max(1, math.ceil((locked_until - guard.clock()).total_seconds() / 60))
                return response.redirect(f"/login?locked={minutes}")
            login = AgentService(session).login(username, password)
            if login is None:
                guard.failed(username, address)
                record(session, username, "login_failed", address)
                return response.redirect("/login?error=1")
            guard.succeeded(username)
            record(session, username, "login", address)
        reply = response.redirect("/")
        set_session_cookie(reply, login.token)
        return reply

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        token = request.cookies.get(COOKIE)
        if token:
            with database_session() as session:
                agents = AgentService(session)
                found = agents.session_for(token)
                agents.logout(token)
                if found is not None:
                    record(session, found[0].username, "logout", client_address(request))
        reply = response.redirect("/login")
        clear_session_cookie(reply)
        return reply

    @app.get("/api/me")
    @authenticated
    async def me(_request: Request, _session: Session, agent: Agent, csrf: str) -> HTTPResponse:
        return response.json({
            "id": agent.id, "name": agent.display_name, "username": agent.username, "role": agent.role,
            "serves_tickets": agent.role in SERVES_TICKETS, "csrf": csrf,
        })

    @app.get("/api/state")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def state(_request: Request, session: Session, agent: Agent, _csrf: str) -> HTTPResponse:
        work = desk(session)
        online = {other.id for other in AgentService(session).online()}
        return response.json({
            "queue": [ticket_view(session, t, work.tickets) for t in work.tickets.queue()],
            "mine": [ticket_view(session, t, work.tickets) for t in work.tickets.assigned_to(agent.id)],
            "agents": [
                {"id": other.id, "name": other.display_name, "online": other.id in online}
                for other in AgentService(session).all() if other.id != agent.id and other.role in SERVES_TICKETS
            ],
        })

    @app.get("/api/tickets/<ticket_id:int>")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def ticket(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        work = desk(session)
        found = work.visible_ticket(ticket_id, agent)
        shown = {**ticket_view(session, found, work.tickets), **await work.conversation(found)}
        record(session, agent.username, "open_ticket", client_address(request), found, TICKET_PANEL)
        return response.json(shown)

    @app.post("/api/tickets/<ticket_id:int>/claim")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def claim(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        work = desk(session)
        claimed = await work.claim(ticket_id, agent)
        record(session, agent.username, "claim", client_address(request), claimed)
        return response.json(ticket_view(session, claimed, work.tickets))

    @app.post("/api/tickets/<ticket_id:int>/transfer")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def transfer(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        target = (request.json or {}).get("agent_id")
        if not isinstance(target, int):
            return response.json({"error": "请选择要转给的客服"}, status=400)
        work = desk(session)
        transferred = await work.transfer(ticket_id, agent, target)
        record(session, agent.username, f"transfer_to:{target}", client_address(request), transferred)
        return response.json(ticket_view(session, transferred, work.tickets))

    @app.post("/api/tickets/<ticket_id:int>/messages")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def send(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        body: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
        text, client_id = body.get("text"), body.get("client_id")
        if not isinstance(text, str) or not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
            return response.json({"error": "消息格式不正确"}, status=400)
        message = await desk(session).send(ticket_id, agent, text, client_id)
        record(session, agent.username, "send_message", client_address(request), session.get(Ticket, message.ticket_id))
        return response.json({"id": message.id, "status": message.status, "error": message.last_error})

    @app.post("/api/messages/<message_id:int>/retry")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def retry(request: Request, session: Session, agent: Agent, _csrf: str, message_id: int) -> HTTPResponse:
        message = await desk(session).retry(message_id, agent)
        ticket = session.get(Ticket, message.ticket_id)
        record(session, agent.username, "retry_message", client_address(request), ticket)
        return response.json({"id": message.id, "status": message.status, "error": message.last_error})

    async def finish(request: Request, session: Session, agent: Agent, ticket_id: int, reason: str) -> HTTPResponse:
        work = desk(session)
        finished = await work.finish(ticket_id, agent, reason)
        record(session, agent.username, reason, client_address(request), finished)
        return response.json(ticket_view(session, finished, work.tickets))

    @app.post("/api/tickets/<ticket_id:int>/close")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def close(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        return await finish(request, session, agent, ticket_id, "closed")

    @app.post("/api/tickets/<ticket_id:int>/handback")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def handback(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        return await finish(request, session, agent, ticket_id, "handed_back")

    @app.get("/api/kb")
    @authenticated
    async def kb_search(request: Request, _session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        query = (request.args.get("q") or "").strip()[:200]
        return response.json(await asyncio.to_thread(search_knowledge_base, query) if query else [])

    @app.get("/api/quick-replies")
    @authenticated
    @require_role(*SERVES_TICKETS)
    async def replies(_request: Request, _session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        return response.json(quick_replies())

    register_supervisor(app, rasa)
    register_dashboard(app)
    register_knowledge(app)

    @app.exception(TicketConflict)
    async def conflict(_request: Request, error: Exception) -> HTTPResponse:
        return response.json({"error": str(error)}, status=409)

    @app.exception(DeskError)
    async def desk_error(_request: Request, error: Exception) -> HTTPResponse:
        return response.json({"error": str(error)}, status=400)

    @app.listener("after_server_start")
    async def start_background_work(application: Sanic, _loop: object) -> None:
        application.ctx.background = [
            asyncio.create_task(sweep_forever(rasa)),
            asyncio.create_task(asyncio.to_thread(watch_knowledge_base)),  # the search index, before the first query
        ]

    @app.listener("before_server_stop")
    async def stop_background_work(application: Sanic, _loop: object) -> None:
        for task in application.ctx.background:
            task.cancel()
        await asyncio.gather(*application.ctx.background, return_exceptions=True)

    return app


def search_knowledge_base(query: str) -> list[dict[str, Any]]:
    """The five best entries for an agent's query, with their answers."""
    kb = knowledge_base()
    return [
        {"id": hit.id, "question": hit.question, "answer": kb.entry(hit.id).answer, "score": round(hit.score, 3)}
        for hit in kb.search(query, top_k=5)
    ]


async def sweep_forever(rasa: RasaApi) -> None:
    """Abandon idle tickets, tell waiting customers their new place, retry agents' messages and score finished
    tickets (质检), every few seconds."""
    while True:
        try:
            with database_session() as session:
                work = AgentDesk(session, rasa)
                await work.abandon_idle(idle_timeout())
                await work.announce_queue_moves()
                await work.retry_undelivered()
                await inspect_finished(session, rasa)
        except Exception:  # the console must keep running whatever one sweep meets
            logger.exception("handoff sweep failed")
        await asyncio.sleep(SWEEP_SECONDS)
