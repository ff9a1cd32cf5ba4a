"""What an editor edits of an entry, read from the console's JSON and checked with messages the editor reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.content.publishing import Fields, entry_fields, entry_of_fields
from bot.kb.entry import FaqEntry
from bot.kb.validation import MIN_SIMILAR

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MAX_QUESTION = 200
MAX_ANSWER = 4000
MAX_ITEMS = 200


class EditingError(ValueError):
    """A change that cannot be made; the message (Simplified Chinese) is shown to the editor or approver."""


@dataclass(frozen=True)
class EntryFields:
    """An entry's standard question, similar questions, answer, related entries, category, keywords, and the days
    it is answered (生效 `effective`, 失效 `expires`)."""

    id: str
    question: str
    answer: str
    category: str = ""
    similar: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    effective: date | None = None
    expires: date | None = None

    def as_json(self) -> Fields:
        """The stored JSON form (dates as YYYY-MM-DD or None)."""
        return entry_fields(self.entry())

    def entry(self, source: str = "", line: int = 0) -> FaqEntry:
        """The knowledge-base entry these fields make."""
        return FaqEntry(
            id=self.id, question=self.question, answer=self.answer, category=self.category, similar=self.similar,
            keywords=self.keywords, related=self.related, source=source, line=line, effective=self.effective,
            expires=self.expires,
        )

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> EntryFields:
        """Fields stored by `as_json` (trusted)."""
        return cls.of_entry(entry_of_fields(fields))

    @classmethod
    def of_entry(cls, entry: FaqEntry) -> EntryFields:
        """The editable fields of a knowledge-base entry (without its place in the files)."""
        return cls(
            id=entry.id, question=entry.question, answer=entry.answer, category=entry.category,
            similar=entry.similar, keywords=entry.keywords, related=entry.related, effective=entry.effective,
            expires=entry.expires,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EntryFields:
        """Fields sent by the console; `EditingError` says what is wrong."""
        if not isinstance(data, Mapping):
            raise EditingError("请求格式不正确")
        entry_id = _text(data, "id", "知识编号", 64)
        if not ID_PATTERN.match(entry_id):
            raise EditingError("知识编号只能包含字母、数字、短横线和下划线，且以字母或数字开头")
        question = _text(data, "question", "标准问题", MAX_QUESTION)
        similar = tuple(item for item in _items(data, "similar", "相似问题") if item != question)
        if len(similar) < MIN_SIMILAR:
            raise EditingError(f"至少需要 {MIN_SIMILAR} 个相似问题（目前 {len(similar)} 个）")
        effective, expires = _date(data, "effective", "生效日期"), _date(data, "expires", "失效日期")
        if effective and expires and expires <= effective:
            raise EditingError("失效日期必须晚于生效日期")
        return cls(
            id=entry_id, question=question, answer=_text(data, "answer", "答案", MAX_ANSWER),
            category=_text(data, "category", "分类", 64, required=False), similar=similar,
            keywords=_items(data, "keywords", "关键词"), related=_items(data, "related", "关联问题"),
            effective=effective, expires=expires,
        )


def _text(data: Mapping[str, Any], key: str, label: str, limit: int, required: bool = True) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise EditingError(f"{label}格式不正确")
    value = value.strip()
    if required and not value:
        raise EditingError(f"请填写{label}")
    if len(value) > limit:
        raise EditingError(f"{label}不能超过 {limit} 个字")
    return value


def _items(data: Mapping[str, Any], key: str, label: str) -> tuple[str, ...]:
    """A list of texts, or one text with an item per line; blanks dropped, repeats once."""
    value = data.get(key) or []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise EditingError(f"{label}格式不正确")
    items = tuple(dict.fromkeys(item.strip() for item in value if item.strip()))
    if len(items) > MAX_ITEMS or any(len(item) > MAX_QUESTION for item in items):
        raise EditingError(f"{label}过多或过长")
    return items


def _date(data: Mapping[str, Any], key: str, label: str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EditingError(f"{label}格式应为 YYYY-MM-DD") from None
