"""Knowledge editing in the console: the `/kb` page and its JSON API.

Editors (and supervisors) draft new entries, changes and removals and submit them; an approver, never the draft's
author, approves (which publishes a new version the bot answers from within seconds) or rejects with a comment, and
may roll the knowledge base back to an earlier version. The 命中测试 shows which entry test questions reach today
and with a draft applied. Supervisors and editors see the questions the bot did not answer, grouped by need (the
clusters of `kefu kb unanswered --json`), and turn a cluster into similar questions of an entry in one click.

The rules live in `bot.editing`; this module reads requests, checks roles and records the changes in the audit log.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.console.auth import authenticated
from bot.console.roles import APPROVER, EDITOR, SUPERVISOR, require_role, role_page
from bot.console.trail import client_address, record
from bot.content.services import live_knowledge_base
from bot.core.settings import current_settings
from bot.editing.drafts import Drafts
from bot.editing.fields import EditingError, EntryFields
from bot.editing.hit_test import hit_test
from bot.editing.versions import Versions
from bot.handoff.models import Agent
from bot.kb import KnowledgeBase
from bot.operations.report import period_start
from bot.operations.unanswered import mine_stored

STATIC_DIR = Path(__file__).resolve().parent / "static"
READERS = (EDITOR, APPROVER, SUPERVISOR)
"""Roles that see the knowledge page: entries, drafts, the review queue, versions and the 命中测试."""
DRAFTERS = (EDITOR, SUPERVISOR)
"""Roles that draft and submit changes (and turn unanswered questions into drafts)."""
MINERS = (SUPERVISOR, EDITOR)
"""Roles that see the unanswered questions (customers' words, redacted)."""
UNANSWERED_PANEL = ("unanswered.examples(masked)",)
"""What a supervisor or editor sees of customers' messages on opening the unanswered questions."""
MAX_QUERY = 100
MAX_DAYS = 366


def register_knowledge(app: Sanic) -> None:
    """Add the knowledge page, its API and the unanswered-question clusters to the console."""

    @app.get("/kb")
    @role_page(*READERS)
    async def kb_page(_request: Request, _session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        return await response.file(STATIC_DIR / "knowledge.html", mime_type="text/html; charset=utf-8")

    @app.exception(EditingError)
    async def editing_error(_request: Request, error: Exception) -> HTTPResponse:
        """A change that cannot be made is a 400 with the reason the editor reads."""
        return response.json({"error": str(error)}, status=400)

    @app.get("/api/kb/entries")
    @authenticated
    @require_role(*READERS)
    async def entries(request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        query = (request.args.get("q") or "").strip()[:MAX_QUERY]
        return response.json([found.as_json() for found in Versions(session).entries(query)])

    @app.get("/api/kb/entries/<entry_id:str>")
    @authenticated
    @require_role(*READERS)
    async def entry(_request: Request, session: Session, _agent: Agent, _csrf: str, entry_id: str) -> HTTPResponse:
        found = Versions(session).entry(entry_id)
        if found is None:
            return response.json({"error": "该知识不存在"}, status=404)
        return response.json(found.as_json())

    @app.get("/api/kb/drafts")
    @authenticated
    @require_role(*READERS)
    async def drafts(request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        status = request.args.get("status") or None
        return response.json([draft.as_json() for draft in Drafts(session).list(status)])

    @app.post("/api/kb/drafts")
    @authenticated
    @require_role(*DRAFTERS)
    async def create_draft(request: Request, session: Session, agent: Agent, _csrf: str) -> HTTPResponse:
        """`{"fields": {...}}` drafts a new entry or a change of the entry with that id; `{"remove": id}` drafts
        its removal."""
        body = _body(request)
        work = Drafts(session)
        if body.get("remove") is not None:
            created = work.remove(agent.username, _text(body, "remove", "知识编号"))
        else:
            created = work.create(agent.username, EntryFields.from_json(body.get("fields")))
        record(session, agent.username, f"kb_draft_create:{created.id}", client_address(request))
        return response.json(created.as_json())

    @app.get("/api/kb/drafts/<draft_id:int>")
    @authenticated
    @require_role(*READERS)
    async def draft(_request: Request, session: Session, _agent: Agent, _csrf: str, draft_id: int) -> HTTPResponse:
        return response.json(Drafts(session).get(draft_id).as_json())

    @app.put("/api/kb/drafts/<draft_id:int>")
    @authenticated
    @require_role(*DRAFTERS)
    async def update_draft(request: Request, session: Session, agent: Agent, _csrf: str, draft_id: int) -> HTTPResponse:
        fields = EntryFields.from_json(_body(request).get("fields"))
        updated = Drafts(session).update(draft_id, agent.username, fields)
        record(session, agent.username, f"kb_draft_update:{draft_id}", client_address(request))
        return response.json(updated.as_json())

    @app.post("/api/kb/drafts/<draft_id:int>/submit")
    @authenticated
    @require_role(*DRAFTERS)
    async def submit(request: Request, session: Session, agent: Agent, _csrf: str, draft_id: int) -> HTTPResponse:
        submitted = Drafts(session).submit(draft_id, agent.username)
        record(session, agent.username, f"kb_draft_submit:{draft_id}", client_address(request))
        return response.json(submitted.as_json())

    @app.post("/api/kb/drafts/<draft_id:int>/approve")
    @authenticated
    @require_role(APPROVER)
    async def approve(request: Request, session: Session, agent: Agent, _csrf: str, draft_id: int) -> HTTPResponse:
        """Publish the draft; the new version is answered by the bot within seconds."""
        work = Drafts(session)
        version = work.approve(draft_id, agent.username, _comment(request))
        record(session, agent.username, f"kb_approve:{draft_id}:v{version}", client_address(request))
        published = Versions(session).get(version)
        return response.json({"draft": work.get(draft_id).as_json(), "version": published.as_json()})

    @app.post("/api/kb/drafts/<draft_id:int>/reject")
    @authenticated
    @require_role(APPROVER)
    async def reject(request: Request, session: Session, agent: Agent, _csrf: str, draft_id: int) -> HTTPResponse:
        rejected = Drafts(session).reject(draft_id, agent.username, _comment(request))
        record(session, agent.username, f"kb_reject:{draft_id}", client_address(request))
        return response.json(rejected.as_json())

    @app.post("/api/kb/hit-test")
    @authenticated
    @require_role(*READERS)
    async def hit_test_route(request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        """`{"fields": {...} | null, "questions": [...], "removed": id | null}`: each question's outcome today
        and with the change applied."""
        body = _body(request)
        fields = EntryFields.from_json(body["fields"]) if body.get("fields") is not None else None
        removed = _text(body, "removed", "知识编号") if body.get("removed") is not None else None
        questions = body.get("questions") or []
        if isinstance(questions, str):
            questions = questions.splitlines()
        if not isinstance(questions, list) or not all(isinstance(question, str) for question in questions):
            raise EditingError("测试问题格式不正确")
        rows = await asyncio.to_thread(
            lambda: hit_test(session, fields, questions, removed, today=served_index())
        )
        return response.json({"results": rows})

    @app.get("/api/kb/versions")
    @authenticated
    @require_role(*READERS)
    async def versions(_request: Request, session: Session, _agent: Agent, _csrf: str) -> HTTPResponse:
        return response.json([version.as_json() for version in Versions(session).history()])

    @app.get("/api/kb/versions/<number:int>")
    @authenticated
    @require_role(*READERS)
    async def version(_request: Request, session: Session, _agent: Agent, _csrf: str, number: int) -> HTTPResponse:
        """The version with each changed entry's fields before and after."""
        found = Versions(session).get(number)
        return response.json({**found.as_json(), "changes": [change.as_json() for change in found.changes]})

    @app.post("/api/kb/versions/<number:int>/rollback")
    @authenticated
    @require_role(APPROVER)
    async def rollback(request: Request, session: Session, agent: Agent, _csrf: str, number: int) -> HTTPResponse:
        history = Versions(session)
        published = history.rollback(number, agent.username)
        record(session, agent.username, f"kb_rollback:v{number}:v{published}", client_address(request))
        return response.json(history.get(published).as_json())

    @app.get("/api/kb/unanswered")
    @authenticated
    @require_role(*MINERS)
    async def unanswered(request: Request, session: Session, agent: Agent, _csrf: str) -> HTTPResponse:
        """The clusters `kefu kb unanswered --json` prints, of the last `days` days (all when not given)."""
        days = _days(request.args.get("days"))
        clusters = await asyncio.to_thread(unanswered_clusters, days)
        record(session, agent.username, "open_unanswered", client_address(request), fields=UNANSWERED_PANEL)
        return response.json(clusters)

    @app.post("/api/kb/unanswered/add-similar")
    @authenticated
    @require_role(*DRAFTERS)
    async def add_similar(request: Request, session: Session, agent: Agent, _csrf: str) -> HTTPResponse:
        """`{"entry_id", "questions"}`: a draft adding the questions to the entry's similar questions, submitted
        for review at once. When it cannot be submitted it stays a draft for its author to fix (400 saying so)."""
        body = _body(request)
        questions = body.get("questions")
        if not isinstance(questions, list) or not questions or not all(isinstance(item, str) for item in questions):
            raise EditingError("请选择要加为相似问的问题")
        work = Drafts(session)
        created = work.add_similar(agent.username, _text(body, "entry_id", "知识编号"), questions)
        record(session, agent.username, f"kb_add_similar:{created.id}", client_address(request))
        try:
            submitted = work.submit(created.id, agent.username)
        except EditingError as error:
            reason = f"已保存为草稿 #{created.id}，但未能提交审核：{error}"
            return response.json({"error": reason, "draft": created.as_json()}, status=400)
        record(session, agent.username, f"kb_draft_submit:{created.id}", client_address(request))
        return response.json(submitted.as_json())


def served_index() -> KnowledgeBase:
    """The index this process answers from, brought up to the newest published version first."""
    live = live_knowledge_base()
    live.refresh()
    return live.current()


def unanswered_clusters(days: int | None) -> dict[str, Any]:
    """`kefu kb unanswered --json`'s object: the unresolved customer messages of the period, clustered, each
    cluster with the served entry closest to it."""
    clusters = mine_stored(current_settings().conversations_url, period_start(days, datetime.now()), served_index)
    return {"clusters": [cluster.as_json() for cluster in clusters]}


def _body(request: Request) -> dict[str, Any]:
    return request.json if isinstance(request.json, dict) else {}


def _text(body: dict[str, Any], key: str, label: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EditingError(f"请填写{label}")
    return value.strip()


def _comment(request: Request) -> str:
    comment = _body(request).get("comment") or ""
    if not isinstance(comment, str):
        raise EditingError("审核意见格式不正确")
    return comment


def _days(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_DAYS:
        raise EditingError(f"天数应为 1 到 {MAX_DAYS} 之间的整数")
    return int(value)
