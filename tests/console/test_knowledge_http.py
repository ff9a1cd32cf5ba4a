"""Knowledge editing over HTTP on a running console: every route's role check, drafts from creation through
four-eyes review to a published version (diff, rollback), the 命中测试, the unanswered-question clusters (the same
JSON as `kefu kb unanswered --json`) turned into similar questions, and the audit trail of each change."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
import requests
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.files import import_content
from bot.core.db import session_factory
from bot.core.paths import KNOWLEDGE_BASE_DIR, PROJECT_ROOT
from bot.editing.drafts import Drafts
from bot.editing.fields import EditingError, EntryFields
from bot.handoff.agents import AgentService
from bot.handoff.roles import AGENT, APPROVER, EDITOR, ROLES, SUPERVISOR
from bot.privacy.tracker_stores import RedactingSQLTrackerStore
from tests.console.conftest import Console
from tests.support.console_client import ConsoleAgent

PASSWORD = "console-pass-1"
FORBIDDEN = "您没有权限访问此页面"
SLOW = 180
"""Seconds for a request that may build the knowledge-base index first."""
EXISTING = "accident_insurance-001"
NEW_ENTRY = {
    "id": "test-kb-101", "question": "熊猫联名信用卡的积分怎么兑换",
    "answer": "登录手机银行，在「信用卡-积分商城」兑换。",
    "category": "信用卡", "similar": ["熊猫联名卡积分兑换", "熊猫卡的积分能换什么", "熊猫信用卡积分在哪里兑换"],
    "keywords": ["熊猫联名卡"], "related": [], "effective": None, "expires": None,
}
READ_ROUTES = ["/api/kb/entries", f"/api/kb/entries/{EXISTING}", "/api/kb/drafts", "/api/kb/drafts/999999",
               "/api/kb/versions", "/api/kb/versions/1"]
ROUTES: list[tuple[str, str, tuple[str, ...]]] = [
    *(("GET", path, (EDITOR, APPROVER, SUPERVISOR)) for path in READ_ROUTES),
    ("POST", "/api/kb/hit-test", (EDITOR, APPROVER, SUPERVISOR)),
    ("POST", "/api/kb/drafts", (EDITOR, SUPERVISOR)),
    ("PUT", "/api/kb/drafts/999999", (EDITOR, SUPERVISOR)),
    ("POST", "/api/kb/drafts/999999/submit", (EDITOR, SUPERVISOR)),
    ("POST", "/api/kb/drafts/999999/approve", (APPROVER,)),
    ("POST", "/api/kb/drafts/999999/reject", (APPROVER,)),
    ("POST", "/api/kb/versions/999999/rollback", (APPROVER,)),
    ("GET", "/api/kb/unanswered", (SUPERVISOR, EDITOR)),
    ("POST", "/api/kb/unanswered/add-similar", (SUPERVISOR, EDITOR)),
]
"""Every API route of the knowledge page and the roles it lets through (on a draft or version that does not
exist, or with an empty body, so that allowed calls change nothing)."""


class User(ConsoleAgent):
    """A logged-in console user calling the knowledge API as the page does."""

    def call(self, method: str, path: str, body: Any = None, timeout: float = 30) -> requests.Response:
        headers = {"X-CSRF-Token": self.me["csrf"]} if method != "GET" else {}
        return self.http.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=timeout)

    def ok(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        reply = self.call(method, path, body, timeout)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def audit_purposes(self, console: Console) -> list[str]:
        """What this user's actions were recorded as in the audit log, oldest first."""
        return [entry.purpose for entry in console.audit(self.me["username"])]


@pytest.fixture(scope="module")
def kb_console(console: Console) -> Console:
    """The console with the project's knowledge base imported (as `make run` does)."""
    import_content(KNOWLEDGE_BASE_DIR, console.database_url)
    return console


def login(console: Console, role: str) -> User:
    username = f"{role}-{secrets.token_hex(4)}"
    with session_factory(console.database_url)() as session:
        AgentService(session).add(username, f"小{role}", PASSWORD, role=role)
    return User(console.url, username, PASSWORD)


def test_without_login_the_api_says_401_and_the_page_sends_to_login(console: Console) -> None:
    for method, path, _roles in ROUTES:
        assert requests.request(method, f"{console.url}{path}", json={}, timeout=10).status_code == 401, path
    page = requests.get(f"{console.url}/kb", allow_redirects=False, timeout=10)
    assert (page.status_code, page.headers["Location"]) == (302, "/login")


@pytest.mark.parametrize("role", ROLES)
def test_each_route_lets_only_its_roles_through(kb_console: Console, role: str) -> None:
    user = login(kb_console, role)
    for method, path, allowed in ROUTES:
        reply = user.call(method, path, {}, timeout=SLOW)
        if role in allowed:
            assert reply.status_code in (200, 400, 404), (path, reply.text)
        else:
            assert (reply.status_code, reply.json()["error"]) == (403, FORBIDDEN), path
    page = user.http.get(f"{kb_console.url}/kb", allow_redirects=False, timeout=10)
    if role == AGENT:
        assert page.status_code == 403 and FORBIDDEN in page.text
    else:
        assert page.status_code == 200 and "知识库管理" in page.text and "/static/knowledge.js" in page.text


def test_changes_need_the_csrf_token(kb_console: Console) -> None:
    editor = login(kb_console, EDITOR)
    reply = editor.http.post(f"{kb_console.url}/api/kb/drafts", json={"fields": NEW_ENTRY}, timeout=10)
    assert (reply.status_code, reply.json()["error"]) == (403, "请求已失效，请刷新页面")
    assert editor.ok("GET", "/api/kb/drafts") == []


def test_a_draft_goes_through_review_to_a_version_and_back(kb_console: Console) -> None:
    editor, other_editor = login(kb_console, EDITOR), login(kb_console, EDITOR)
    supervisor, approver = login(kb_console, SUPERVISOR), login(kb_console, APPROVER)
    missing = editor.call("POST", "/api/kb/drafts", {"fields": {**NEW_ENTRY, "answer": ""}})
    assert (missing.status_code, missing.json()["error"]) == (400, "请填写答案")

    draft = editor.ok("POST", "/api/kb/drafts", {"fields": {**NEW_ENTRY, "answer": "旧答案"}})
    assert (draft["action"], draft["status"], draft["author"], draft["current"]) == (
        "create", "draft", editor.me["username"], None)
    path = f"/api/kb/drafts/{draft['id']}"
    assert editor.ok("PUT", path, {"fields": NEW_ENTRY})["fields"]["answer"] == NEW_ENTRY["answer"]
    foreign = other_editor.call("PUT", path, {"fields": NEW_ENTRY})
    assert (foreign.status_code, foreign.json()["error"]) == (400, "只能修改自己的草稿")
    assert editor.ok("POST", f"{path}/submit")["status"] == "pending"
    assert editor.call("PUT", path, {"fields": NEW_ENTRY}).status_code == 400
    assert draft["id"] in [found["id"] for found in approver.ok("GET", "/api/kb/drafts?status=pending")]

    for other in (editor, supervisor):
        assert other.call("POST", f"{path}/approve", {"comment": "好"}).status_code == 403
    assert editor.call("GET", f"/api/kb/entries/{NEW_ENTRY['id']}").status_code == 404
    before = approver.ok("GET", "/api/kb/versions")[0]["version"]
    approved = approver.ok("POST", f"{path}/approve", {"comment": "可以发布"})
    version = approved["version"]
    assert (approved["draft"]["status"], approved["draft"]["reviewer"], approved["draft"]["comment"]) == (
        "published", approver.me["username"], "可以发布")
    assert (version["version"], version["published_by"], version["approved_by"]) == (
        before + 1, editor.me["username"], approver.me["username"])
    assert version["changes"] == [{"entry_id": NEW_ENTRY["id"], "change": "added"}]
    assert editor.ok("GET", f"/api/kb/entries/{NEW_ENTRY['id']}") == NEW_ENTRY
    assert [found["id"] for found in editor.ok("GET", "/api/kb/entries?q=熊猫联名")] == [NEW_ENTRY["id"]]
    assert approver.call("POST", f"{path}/approve", {"comment": ""}).json()["error"] == "该草稿不在待审核状态"

    diff = editor.ok("GET", f"/api/kb/versions/{version['version']}")
    assert [(change["entry_id"], change["before"], change["after"]) for change in diff["changes"]] == [
        (NEW_ENTRY["id"], None, NEW_ENTRY)]

    assert editor.call("POST", f"/api/kb/versions/{before}/rollback").status_code == 403
    rolled = approver.ok("POST", f"/api/kb/versions/{before}/rollback")
    assert (rolled["version"], rolled["rollback_of"]) == (before + 2, before)
    assert rolled["changes"] == [{"entry_id": NEW_ENTRY["id"], "change": "removed"}]
    assert editor.call("GET", f"/api/kb/entries/{NEW_ENTRY['id']}").status_code == 404
    again = approver.call("POST", f"/api/kb/versions/{before + 2}/rollback")
    assert (again.status_code, again.json()["error"]) == (400, "这已经是当前版本")

    assert editor.audit_purposes(kb_console) == [
        "login", f"kb_draft_create:{draft['id']}", f"kb_draft_update:{draft['id']}", f"kb_draft_submit:{draft['id']}"]
    assert approver.audit_purposes(kb_console) == [
        "login", f"kb_approve:{draft['id']}:v{before + 1}", f"kb_rollback:v{before}:v{before + 2}"]


def test_a_rejection_needs_a_comment_and_returns_the_draft_to_its_author(kb_console: Console) -> None:
    supervisor, approver = login(kb_console, SUPERVISOR), login(kb_console, APPROVER)
    current = supervisor.ok("GET", f"/api/kb/entries/{EXISTING}")
    draft = supervisor.ok("POST", "/api/kb/drafts", {"fields": {**current, "answer": current["answer"] + "（测试）"}})
    assert (draft["action"], draft["current"]) == ("update", current)
    path = f"/api/kb/drafts/{draft['id']}"
    supervisor.ok("POST", f"{path}/submit")
    silent = approver.call("POST", f"{path}/reject", {"comment": " "})
    assert (silent.status_code, silent.json()["error"]) == (400, "驳回时请填写意见")
    rejected = approver.ok("POST", f"{path}/reject", {"comment": "答案不要加括号"})
    assert (rejected["status"], rejected["comment"], rejected["reviewer"]) == (
        "rejected", "答案不要加括号", approver.me["username"])
    assert supervisor.ok("PUT", path, {"fields": current})["status"] == "draft"
    assert supervisor.ok("POST", f"{path}/submit")["status"] == "pending"
    assert supervisor.ok("GET", f"/api/kb/entries/{EXISTING}") == current
    approver.ok("POST", f"{path}/reject", {"comment": "与现有内容相同"})


def test_removing_an_entry_is_a_draft_too(kb_console: Console) -> None:
    editor = login(kb_console, EDITOR)
    draft = editor.ok("POST", "/api/kb/drafts", {"remove": EXISTING})
    assert (draft["action"], draft["fields"], draft["current"]["id"]) == ("delete", None, EXISTING)
    unknown = editor.call("POST", "/api/kb/drafts", {"remove": "no-such-entry"})
    assert (unknown.status_code, unknown.json()["error"]) == (400, "该知识不存在")


def test_nobody_approves_their_own_draft(kb_console: Console) -> None:
    approver = login(kb_console, APPROVER)
    assert approver.call("POST", "/api/kb/drafts", {"fields": NEW_ENTRY}).status_code == 403
    author = login(kb_console, SUPERVISOR).me["username"]
    with session_factory(kb_console.database_url)() as session:
        drafts = Drafts(session)
        draft = drafts.create(author, EntryFields.from_json({**NEW_ENTRY, "id": "test-kb-own"}))
        drafts.submit(draft.id, author)
        with pytest.raises(EditingError, match="不能审核自己提交的修改"):
            drafts.approve(draft.id, author, "自己通过")
        assert drafts.get(draft.id).status == "pending"


def test_the_hit_test_shows_today_and_with_the_draft(kb_console: Console) -> None:
    editor = login(kb_console, EDITOR)
    question = NEW_ENTRY["similar"][0]
    existing = editor.ok("GET", f"/api/kb/entries/{EXISTING}")["question"]
    rows = editor.ok("POST", "/api/kb/hit-test", {"fields": NEW_ENTRY, "questions": f"{question}\n\n{existing}"},
                     timeout=SLOW)["results"]
    assert [row["question"] for row in rows] == [question, existing]
    added, untouched = rows
    assert added["today"]["entry_id"] != NEW_ENTRY["id"] and added["changed"] is True
    assert added["with_draft"] == {"outcome": "answer", "entry_id": NEW_ENTRY["id"],
                                   "entry_question": NEW_ENTRY["question"]}
    assert untouched["today"] == untouched["with_draft"] and untouched["changed"] is False
    assert untouched["today"]["entry_id"] == EXISTING

    removed = editor.ok("POST", "/api/kb/hit-test", {"fields": None, "removed": EXISTING, "questions": [existing]},
                        timeout=SLOW)["results"][0]
    assert removed["today"]["entry_id"] == EXISTING and removed["with_draft"]["entry_id"] != EXISTING
    empty = editor.call("POST", "/api/kb/hit-test", {"fields": NEW_ENTRY, "questions": []}, timeout=SLOW)
    assert (empty.status_code, empty.json()["error"]) == (400, "请填写至少一个测试问题")


def user(text: str, intent: str) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9},
                       parse_data={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []})


UNANSWERED: dict[str, list[Event]] = {
    "swallowed-1": [user("我的银行卡被取款机吞了怎么办", "faq"), BotUttered("…", metadata={"faq_outcome": "none"})],
    "swallowed-2": [user("银行卡被取款机吞了怎么办", "faq"), BotUttered("…", metadata={"faq_outcome": "none"})],
    "swallowed-3": [user("银行卡被ATM机吞了怎么办", "faq"), BotUttered("…", metadata={"faq_outcome": "clarify"})],
    "personal": [user("我手机号13812345678换号了怎么改", "faq"), BotUttered("…", metadata={"faq_outcome": "none"})],
}


def store_conversations(url: str) -> None:
    """Conversations the bot could not answer, saved as Rasa's tracker store saves them."""
    tracker_store = RedactingSQLTrackerStore(host=url)
    for sender, events in UNANSWERED.items():
        asyncio.run(tracker_store.save(DialogueStateTracker.from_events(f"{sender}-{secrets.token_hex(3)}", events)))
    tracker_store.engine.dispose()


def cli_clusters(database_url: str) -> dict[str, Any]:
    reply = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "kb", "unanswered", "--json"], cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=SLOW, check=True,
    )
    return json.loads(reply.stdout)


@pytest.mark.slow
def test_unanswered_clusters_become_similar_questions_after_review(kb_console: Console) -> None:
    store_conversations(kb_console.database_url)
    supervisor, approver = login(kb_console, SUPERVISOR), login(kb_console, APPROVER)
    shown = supervisor.ok("GET", "/api/kb/unanswered", timeout=SLOW)
    assert shown == cli_clusters(kb_console.database_url)
    assert supervisor.ok("GET", "/api/kb/unanswered?days=1", timeout=SLOW) == shown
    bad = supervisor.call("GET", "/api/kb/unanswered?days=abc")
    assert (bad.status_code, bad.json()["error"]) == (400, "天数应为 1 到 366 之间的整数")
    swallowed = next(cluster for cluster in shown["clusters"] if "银行卡被取款机吞了怎么办" in cluster["examples"])
    assert swallowed["size"] == 3 and swallowed["reasons"] == {"no_match": 2, "clarify": 1}
    assert set(swallowed["examples"]) == {
        "我的银行卡被取款机吞了怎么办", "银行卡被取款机吞了怎么办", "银行卡被ATM机吞了怎么办"}
    examples = [text for cluster in shown["clusters"] for text in cluster["examples"]]
    assert "我手机号138****5678换号了怎么改" in examples and not any("13812345678" in text for text in examples)
    assert supervisor.audit_purposes(kb_console)[-1] == "open_unanswered"

    target = swallowed["suggested_entry"]["id"]
    before = supervisor.ok("GET", f"/api/kb/entries/{target}")
    nothing = supervisor.call("POST", "/api/kb/unanswered/add-similar", {"entry_id": target, "questions": []})
    assert (nothing.status_code, nothing.json()["error"]) == (400, "请选择要加为相似问的问题")
    draft = supervisor.ok("POST", "/api/kb/unanswered/add-similar",
                          {"entry_id": target, "questions": swallowed["examples"]})
    assert (draft["status"], draft["action"], draft["entry_id"]) == ("pending", "update", target)
    assert draft["fields"]["similar"] == [*before["similar"], *swallowed["examples"]]
    approver.ok("POST", f"/api/kb/drafts/{draft['id']}/approve", {"comment": ""})
    assert supervisor.ok("GET", f"/api/kb/entries/{target}")["similar"] == draft["fields"]["similar"]
    assert supervisor.audit_purposes(kb_console)[-2:] == [f"kb_add_similar:{draft['id']}",
                                                         f"kb_draft_submit:{draft['id']}"]
