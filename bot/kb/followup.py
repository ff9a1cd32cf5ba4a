"""Elliptical follow-ups such as 「那信用卡呢」: detection and rewriting against the previous question."""

from __future__ import annotations

import re
from collections.abc import Iterable

_FOLLOWUP = re.compile(
    r"^(?:那么|那|那如果是|如果是|要是|换成|还有)?(?P<core>.{1,10}?)(?:的话)?"
    r"(?:呢|怎么办|怎么样|怎么弄|怎么处理|又如何|如何|行吗|可以吗)$"
)
_LEADING_THEN = re.compile(r"^(?:那么|那)(?P<core>.{1,8})$")
_NAMED_KIND = re.compile(r"^(?:是|那|那么|我说的是|我问的是)?(?P<core>.{2,8}?)的$")
"""「信用卡的」 after 「借记卡有年费吗」: the kind of thing the question was about."""
MAX_FOLLOWUP_CHARS = 14


def followup_fragment(chars: str) -> str | None:
    """The topic word of a short follow-up (text reduced to content characters), or None."""
    if not chars or len(chars) > MAX_FOLLOWUP_CHARS:
        return None
    match = _FOLLOWUP.match(chars) or _LEADING_THEN.match(chars) or _NAMED_KIND.match(chars)
    if match is None:
        return None
    core = match.group("core")
    return core if len(core) >= 2 else None


def rewrites(previous: str, fragment: str, replaceable: Iterable[str]) -> list[str]:
    """The previous question with one of its words replaced by the fragment, each distinct once."""
    seen: dict[str, None] = {}
    for word in sorted(set(replaceable), key=len, reverse=True):
        if word and word != fragment and word in previous and fragment not in word:
            seen.setdefault(previous.replace(word, fragment, 1))
    return list(seen)
