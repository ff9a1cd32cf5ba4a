"""The supervisor's page and API: live queues and each agent's open tickets, reassigning a ticket whose agent has
been silent too long, and the 质检 review queue with the flagged lines of each conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.console.auth import authenticated
from bot.console.roles import SUPERVISOR, require_role, role_page
from bot.console.trail import client_address, record
from bot.console.views import ticket_view
from bot.handoff.agents import AgentService
from bot.handoff.models import Agent, Ticket, TicketReview
from bot.handoff.quality import QualityRules, served_lines
from bot.handoff.rasa_api import RasaApi, RasaApiError
from bot.handoff.reviews import ReviewService
from bot.handoff.roles import ROLE_LABELS
from bot.handoff.supervision import Supervision, Watched
from bot.handoff.tickets import TicketService
from bot.handoff.transcript import transcript

STATIC_DIR = Path(__file__).resolve().parent / "static"
REVIEW_PANEL = ("transcript", "quality_flags")
"""What a supervisor sees of a conversation on opening its review."""


def register_supervisor(app: Sanic, rasa: RasaApi) -> None:
    """Add the supervisor's page and API to the console."""

    def supervision(session: Session) -> Supervision:
        return Supervision(session, rasa, QualityRules.load().waiting_seconds)

    @app.get("/supervisor")
    @role_page(SUPERVISOR)
    async def supervisor_page(_request: Request, _session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        return await response.file(STATIC_DIR / "supervisor.html")

    @app.get("/api/supervisor/live")
    @authenticated
    @require_role(SUPERVISOR)
    async def live(_request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        watch = supervision(session)
        tickets = TicketService(session)
        online = {other.id for other in AgentService(session).online()}
        return response.json({
            "overdue_after": watch.overdue_after,
            "queue": [ticket_view(session, ticket, tickets) for ticket in tickets.queue()],
            "agents": [
                {
                    "id": other.id, "name": other.display_name, "role": ROLE_LABELS[other.role],
                    "online": other.id in online,
                    "tickets": [watched_view(session, item, tickets) for item in watch.open_tickets(other.id)],
                }
                for other in watch.serving_agents()
            ],
        })

    @app.post("/api/supervisor/tickets/<ticket_id:int>/reassign")
    @authenticated
    @require_role(SUPERVISOR)
    async def reassign(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        target = (request.json or {}).get("agent_id") if isinstance(request.json, dict) else None
        if not isinstance(target, int):
            return response.json({"error": "请选择要改派给的客服"}, status=400)
        moved = await supervision(session).reassign(ticket_id, target)
        record(session, agent.username, f"reassign_to:{target}", client_address(request), moved)
        return response.json(ticket_view(session, moved, TicketService(session)))

    @app.get("/api/quality/reviews")
    @authenticated
    @require_role(SUPERVISOR)
    async def reviews(request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        reviewed = request.args.get("reviewed") == "1"
        flagged_only = request.args.get("all") != "1"
        found = ReviewService(session).queue(reviewed=reviewed, flagged_only=flagged_only)
        return response.json([review_view(session, review, ticket) for review, ticket in found])

    @app.get("/api/quality/reviews/<ticket_id:int>")
    @authenticated
    @require_role(SUPERVISOR)
    async def review(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        found = ReviewService(session).get(ticket_id)
        ticket = session.get(Ticket, ticket_id)
        try:
            events = (await rasa.tracker(ticket.conversation_id)).get("events") or []
            lines, error = served_lines(transcript(events), found.served_from, found.served_until), None
        except RasaApiError as failure:
            lines, error = [], str(failure)
        record(session, agent.username, "open_review", client_address(request), ticket, REVIEW_PANEL)
        return response.json({**review_view(session, found, ticket), **flagged_lines(found, lines), "error": error})

    @app.post("/api/quality/reviews/<ticket_id:int>/reviewed")
    @authenticated
    @require_role(SUPERVISOR)
    async def reviewed(request: Request, session: Session, agent: Agent, _csrf: str, ticket_id: int) -> HTTPResponse:
        note = (request.json or {}).get("note") if isinstance(request.json, dict) else None
        done = ReviewService(session).mark_reviewed(ticket_id, agent.id, note if isinstance(note, str) else "")
        ticket = session.get(Ticket, ticket_id)
        record(session, agent.username, "quality_reviewed", client_address(request), ticket)
        return response.json(review_view(session, done, ticket))


def watched_view(session: Session, watched: Watched, tickets: TicketService) -> dict[str, Any]:
    """An agent's open ticket with how long the agent has been silent."""
    return {
        **ticket_view(session, watched.ticket, tickets),
        "silent_seconds": round(watched.silent_seconds), "overdue": watched.overdue,
    }


def review_view(session: Session, review: TicketReview, ticket: Ticket) -> dict[str, Any]:
    """One inspected ticket as the review queue lists it."""
    agent = session.get(Agent, review.agent_id) if review.agent_id else None
    reviewer = session.get(Agent, review.reviewed_by) if review.reviewed_by else None
    return {
        "ticket_id": review.ticket_id,
        "agent": agent.display_name if agent else None,
        "channel": ticket.channel,
        "closed_at": ticket.closed_at.isoformat(timespec="seconds") if ticket.closed_at else None,
        "score": review.score,
        "flags": review.flags,
        "inspected_at": review.inspected_at.isoformat(timespec="seconds"),
        "reviewed_at": review.reviewed_at.isoformat(timespec="seconds") if review.reviewed_at else None,
        "reviewer": reviewer.display_name if reviewer else None,
        "note": review.note,
    }


def flagged_lines(review: TicketReview, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The inspected lines, each with the flags on it; flags on no line (or a line no longer there) apart."""
    shown = [{**line, "flags": []} for line in lines]
    apart = []
    for flag in review.flags:
        index = flag.get("line", -1)
        if 0 <= index < len(shown) and shown[index].get("time") == flag.get("time"):
            shown[index]["flags"].append(flag)
        else:
            apart.append(flag)
    return {"lines": shown, "other_flags": apart}
