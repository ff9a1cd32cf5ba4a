"""A small, valid knowledge-base directory written by tests."""

from __future__ import annotations

from pathlib import Path

FAQ = """\
- id: card-001
  category: 借记卡
  question: 借记卡丢了怎么挂失
  similar: [储蓄卡不见了怎么办, 银行卡丢了要挂失, 借记卡掉了咋办]
  answer: 请在手机银行办理挂失。
- id: card-002
  category: 信用卡
  question: 信用卡年费是多少
  similar: [信用卡要交年费吗, xyk年费多少钱, 信用卡怎么免年费]
  answer: 年费以卡种为准。
"""
BRANCHES = """\
- id: BJ-01
  name: 朝阳支行
  city: 北京
  district: 朝阳区
  address: 北京市朝阳区某路1号
  hours: 周一至周五 9:00-17:00
"""


def write_kb(root: Path, faq: str = FAQ, branches: str = BRANCHES) -> Path:
    """Write faq/cards.yml, synonyms.yml, terms.txt and branches.yml under `root`."""
    (root / "faq").mkdir(parents=True, exist_ok=True)
    (root / "faq" / "cards.yml").write_text(faq, encoding="utf-8")
    (root / "synonyms.yml").write_text("- canonical: 信用卡\n  variants: [xyk]\n", encoding="utf-8")
    (root / "terms.txt").write_text("借记卡\n信用卡\n挂失\n", encoding="utf-8")
    (root / "branches.yml").write_text(branches, encoding="utf-8")
    return root
