"""Property-based tests of knowledge-base validation and import: any FAQ file is reported or imported, never crashes,
and a failed import leaves the database as it was."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, example, given
from hypothesis import strategies as st

from bot.content.files import ContentError, import_content, load_content, read_content
from tests.fuzz.support import fuzz_settings, mixed_text
from tests.support.kb_fixture import FAQ, write_kb

PROBLEM = re.compile(r"^(?P<source>.+):(?P<line>\d+): \S")
KEYS = ["id", "question", "answer", "category", "similar", "keywords", "related"]

ids = st.sampled_from(["card-001", "card-002", "x-1", "x-2", ""]) | st.text(max_size=10)
texts = st.one_of(st.sampled_from(["借记卡丢了怎么挂失", "信用卡年费是多少", "怎么开户", " "]), mixed_text,
                  st.text(alphabet="理赔进度查询", min_size=2000, max_size=5000))
odd_values = st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False), st.dates(),
                       st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))
text_lists = st.lists(texts, max_size=5) | st.lists(texts | odd_values, max_size=4)


def value_for(key: str) -> st.SearchStrategy[Any]:
    """Mostly the right type for `key`, sometimes anything."""
    right = ids if key == "id" else text_lists if key in ("similar", "keywords", "related") else texts
    return st.integers(min_value=0, max_value=3).flatmap(lambda draw: odd_values | text_lists if draw == 3 else right)


entries = st.lists(st.sampled_from([*KEYS, "unknown", "Answer"]), unique=True, max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({key: value_for(key) for key in keys})
)
dumped_documents = st.one_of(
    st.lists(entries | odd_values, max_size=6),
    entries,
    odd_values,
).map(lambda document: yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
"""FAQ files with entries of any shape: missing, unknown or mistyped keys, duplicate ids, huge texts."""

SURROGATE_ANSWER = '- id: s-1\n  question: 代码问题\n  similar: [代码一, 代码二, 代码三]\n  answer: "\\ud800"\n'
"""A complete entry whose answer holds an escaped lone surrogate, which no database can store."""
raw_fragments = st.sampled_from([
    "- id: !!python/name:os.system a\n", "- id: !custom x\n", "- id: !!int abc\n", "- <<: 5\n",
    "- [a, b]: c\n", "- {? {a: 1} : b}\n", "- &a [*a]\n",
    SURROGATE_ANSWER,
    "- id: x\n  id: y\n", "- similar: !!binary '@@'\n", "-\t- x\n", "- id: '\n", "{{{", "%YAML 9.9\n---\n- a\n",
    "- question: 2024-02-30\n", "- id: .inf\n", "- id: !!float x\n", "- !!set {a: 1}\n", "- !!omap [1]\n",
])
raw_documents = st.lists(raw_fragments | dumped_documents, min_size=1, max_size=3).map("".join)
"""FAQ files as text, with YAML the safe loader rejects or constructs oddly."""

words = st.text(alphabet="信用卡借记账户余额转账挂失理赔保单还款網點密碼年費", min_size=1, max_size=8)


@st.composite
def nearly_valid_documents(draw: st.DrawFn) -> str:
    """Valid entries (huge or Traditional texts included), then at most one defect: a mistyped, missing or extra
    key, a duplicate id or a dangling related id."""
    count = draw(st.integers(min_value=1, max_value=4))
    faq: list[dict[str, Any]] = [
        {"id": f"e-{number}", "category": draw(words), "question": f"{draw(words)}q{number}",
         "similar": [f"{draw(words)}q{number}s{index}" for index in range(draw(st.integers(3, 5)))],
         "answer": draw(texts.filter(str.strip))}
        for number in range(count)
    ]
    entry = faq[draw(st.integers(min_value=0, max_value=count - 1))]
    defect = draw(st.sampled_from(["none", "value", "missing", "extra", "duplicate id", "related"]))
    key = draw(st.sampled_from(KEYS))
    if defect == "value":
        entry[key] = draw(odd_values | text_lists | texts)
    elif defect == "missing":
        entry.pop(key, None)
    elif defect == "extra":
        entry[draw(st.text(min_size=1, max_size=8))] = draw(texts)
    elif defect == "duplicate id":
        entry["id"] = faq[0]["id"]
    elif defect == "related":
        entry["related"] = [draw(ids)]
    return yaml.safe_dump(faq, allow_unicode=True, sort_keys=False)


documents = st.one_of(nearly_valid_documents(), dumped_documents, raw_documents, st.just(FAQ))


def write_faq(root: Path, faq: str | bytes) -> Path:
    """A knowledge-base directory whose FAQ file holds `faq` (synonyms, terms and branches are valid)."""
    kb_dir = write_kb(root)
    path = kb_dir / "faq" / "cards.yml"
    if isinstance(faq, bytes):
        path.write_bytes(faq)
    else:
        path.write_text(faq, encoding="utf-8", errors="surrogatepass")
    return kb_dir


def assert_located(problems: list[str], kb_dir: Path) -> None:
    """Every problem names a file of the directory and a line."""
    assert problems
    for problem in problems:
        match = PROBLEM.match(problem)
        assert match, f"problem without file:line: {problem!r}"
        assert match.group("source").startswith(str(kb_dir)), problem


@pytest.mark.slow
@fuzz_settings(400)
@given(documents | st.binary(max_size=100))
def test_any_faq_file_validates_cleanly_or_reports_located_problems(faq: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = write_faq(Path(tmp), faq)
        try:
            content = load_content(kb_dir)
        except ContentError as error:
            event("rejected")
            assert_located(error.problems, kb_dir)
            return
        event("valid")
        assert len({entry.id for entry in content.entries}) == len(content.entries)
        assert all(entry.question.strip() and entry.answer.strip() and len(entry.similar) >= 3
                   for entry in content.entries)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A SQLite database holding the small valid knowledge base."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'kb.db'}"
        import_content(write_kb(Path(tmp) / "good"), url)
        yield url


@pytest.mark.slow
@fuzz_settings(120)
@given(st.integers(min_value=0, max_value=2).flatmap(lambda draw: documents if draw == 2 else nearly_valid_documents()))
@example(SURROGATE_ANSWER)
def test_import_is_all_or_nothing(database: str, faq: str) -> None:
    before = read_content(database)
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = write_faq(Path(tmp), faq)
        try:
            imported = import_content(kb_dir, database)
        except ContentError as error:
            event("rejected")
            assert_located(error.problems, kb_dir)
            assert read_content(database) == before
            return
    event("imported")
    stored = read_content(database)
    assert [entry.id for entry in stored.entries] == sorted(entry.id for entry in imported.entries)
    assert {entry.id: entry.answer for entry in stored.entries} == {entry.id: entry.answer
                                                                   for entry in imported.entries}
    with tempfile.TemporaryDirectory() as tmp:
        import_content(write_kb(Path(tmp)), database)
