"""A small banking knowledge base (debit cards, credit cards, transfers) written to a temporary directory."""

from __future__ import annotations

from pathlib import Path

DEBIT_YAML = """\
- id: debit_card-001
  category: 借记卡
  question: 借记卡丢了怎么挂失
  similar: [储蓄卡丢了怎么办, 工资卡掉了怎么挂失, 借记卡找不到了要怎么冻结, 银行卡被偷了先怎么处理]
  answer: 请通过手机银行或客服热线办理挂失。
  keywords: [挂失]
  related: [credit_card-001]
- id: debit_card-007
  category: 借记卡
  question: 借记卡密码忘了怎么办
  similar: [储蓄卡密码记不得了, 银行卡取款密码忘记了怎么重置, 忘了借记卡的交易密码]
  answer: 请携带身份证件到网点重置密码。
  keywords: [密码, 重置]
- id: debit_card-004
  category: 借记卡
  question: 借记卡有年费吗
  similar: [储蓄卡每年要扣钱吗, 银行卡年费多少, 借记卡会收管理费吗]
  answer: 普通借记卡不收年费。
- id: debit_card-014
  category: 借记卡
  question: ATM吞卡了怎么办
  similar: [取款机把卡吞了, 卡被自动柜员机吞掉了怎么拿回来, 提款机吃卡了]
  answer: 请联系ATM所属网点领取。
"""

CREDIT_YAML = """\
- id: credit_card-001
  category: 信用卡
  question: 信用卡丢了怎么办
  similar: [信用卡被偷了, 信用卡找不到了先冻结, 信用卡掉了会不会被盗刷]
  answer: 请立即挂失信用卡。
- id: credit_card-006
  category: 信用卡
  question: 信用卡还款日可以修改吗
  similar: [能不能改信用卡的还款日期, 还款日想换一天怎么弄, 信用卡账单日还款日能调整吗]
  answer: 每年可修改一次账单日。
  keywords: [还款日, 修改]
- id: credit_card-017
  category: 信用卡
  question: 信用卡密码忘了怎么办
  similar: [信用卡查询密码怎么重置, 信用卡交易密码不记得了, 忘记信用卡密码了]
  answer: 可在手机银行重置信用卡密码。
  keywords: [密码]
- id: credit_card-004
  category: 信用卡
  question: 信用卡年费是多少
  similar: [信用卡要交年费吗, 信用卡年费怎么免, 为什么信用卡扣了年费]
  answer: 普卡刷卡满6次免年费。
"""

TRANSFER_YAML = """\
- id: transfer-001
  category: 转账
  question: 转账限额是多少
  similar: [一天最多能转多少钱, 手机银行转账额度是多少, 单笔转账上限]
  answer: 默认单日限额5万元。
- id: transfer-006
  category: 转账
  question: 转错账了怎么办
  similar: [钱转给了错误的人, 转账转错人了能追回吗, 不小心转错卡号]
  answer: 请尽快联系收款方或报警。
"""

SYNONYMS_YAML = """\
- canonical: 信用卡
  variants: [信用咔, xyk, 贷记卡]
- canonical: 借记卡
  variants: [储蓄卡, 银行咔]
"""


def write_kb(root: Path) -> Path:
    """Write a valid small knowledge_base directory and return it."""
    faq = root / "faq"
    faq.mkdir(parents=True)
    (faq / "debit_card.yml").write_text(DEBIT_YAML, encoding="utf-8")
    (faq / "credit_card.yml").write_text(CREDIT_YAML, encoding="utf-8")
    (faq / "transfer.yml").write_text(TRANSFER_YAML, encoding="utf-8")
    (root / "synonyms.yml").write_text(SYNONYMS_YAML, encoding="utf-8")
    (root / "terms.txt").write_text("借记卡\n信用卡\n还款日\n年费\n挂失\n", encoding="utf-8")
    return root
