"""Static description of the demo customers, their cards, policies and claims."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CardSpec:
    """A demo card; the number is generated around `tail`."""

    kind: str
    product_name: str
    tail: str
    status: str = "active"
    credit_limit: Decimal | None = None


@dataclass(frozen=True)
class PolicySpec:
    """A demo policy; dates are offsets from the seeding day."""

    number: str
    product: str
    policy_type: str
    status: str
    started_days_ago: int
    term_days: int
    sum_insured: Decimal
    premium: Decimal


@dataclass(frozen=True)
class ClaimSpec:
    """A demo claim on one of the customer's policies."""

    policy_number: str
    number: str
    status: str
    incident_days_ago: int
    claim_type: str
    description: str
    amount: Decimal | None


@dataclass(frozen=True)
class CustomerSpec:
    """A demo customer with everything they own."""

    name: str
    phone: str
    id_number: str
    employer: str
    salary: int
    rent: int
    cards: tuple[CardSpec, ...]
    time_deposit: Decimal | None = None
    policies: tuple[PolicySpec, ...] = ()
    claims: tuple[ClaimSpec, ...] = ()


def _d(value: str) -> Decimal:
    return Decimal(value)


CUSTOMERS: tuple[CustomerSpec, ...] = (
    CustomerSpec(
        name="张伟",
        phone="13812345678",
        id_number="110105198503121234",
        employer="北京星辰科技有限公司",
        salary=26000,
        rent=6500,
        cards=(
            CardSpec("debit", "借记卡·金卡", "3321"),
            CardSpec("credit", "白金信用卡", "8866", credit_limit=_d("50000")),
            CardSpec("credit", "车主信用卡", "5102", credit_limit=_d("20000")),
        ),
        time_deposit=_d("100000"),
        policies=(
            PolicySpec("P2025000101", "安心驾驶车险", "车险", "有效", 200, 365, _d("1500000"), _d("4860")),
            PolicySpec("P2023000102", "守护一生重疾险", "重疾险", "有效", 900, 365 * 30, _d("500000"), _d("8200")),
        ),
        claims=(
            ClaimSpec("P2025000101", "C2025000101", "审核中", 12, "车辆剐蹭", "停车场倒车时剐蹭立柱", _d("3200")),
            ClaimSpec(
                "P2025000101", "C2025000087", "已赔付", 150, "玻璃破碎", "高速上前挡风玻璃被石子击裂", _d("1800")
            ),
        ),
    ),
    CustomerSpec(
        name="李娜",
        phone="13987654321",
        id_number="310115199007214567",
        employer="上海浦江贸易有限公司",
        salary=18000,
        rent=4800,
        cards=(
            CardSpec("debit", "借记卡·普卡", "0457"),
            CardSpec("debit", "借记卡·工资卡", "7789", status="frozen"),
            CardSpec("credit", "青春信用卡", "2290", credit_limit=_d("30000")),
        ),
        policies=(PolicySpec("P2025000201", "百万医疗险", "医疗险", "有效", 120, 365, _d("2000000"), _d("399")),),
        claims=(ClaimSpec("P2025000201", "C2025000202", "补充材料", 30, "住院医疗", "急性肠胃炎住院三天", _d("6400")),),
    ),
    CustomerSpec(
        name="王芳",
        phone="15012348888",
        id_number="44030619880905789X",
        employer="深圳南山医疗器械有限公司",
        salary=22000,
        rent=0,
        cards=(
            CardSpec("debit", "借记卡·金卡", "6612"),
            CardSpec("credit", "钻石信用卡", "3095", credit_limit=_d("80000")),
        ),
        policies=(
            PolicySpec("P2022000301", "传家终身寿险", "寿险", "有效", 1200, 365 * 40, _d("1000000"), _d("12000")),
            PolicySpec("P2024000302", "出行无忧意外险", "意外险", "已满期", 500, 365, _d("300000"), _d("150")),
        ),
        claims=(ClaimSpec("P2024000302", "C2024000303", "已结案", 300, "意外门诊", "跑步扭伤脚踝门诊治疗", _d("860")),),
    ),
    CustomerSpec(
        name="刘洋",
        phone="18655556666",
        id_number="330106199211182344",
        employer="杭州云栖网络科技有限公司",
        salary=20000,
        rent=3800,
        cards=(
            CardSpec("debit", "借记卡·普卡", "1180"),
            CardSpec("credit", "标准信用卡", "4471", credit_limit=_d("15000")),
        ),
        policies=(PolicySpec("P2025000401", "百万医疗险", "医疗险", "有效", 60, 365, _d("2000000"), _d("299")),),
        claims=(ClaimSpec("P2025000401", "C2025000404", "已报案", 3, "门诊医疗", "发烧就诊，门诊费用", None),),
    ),
    CustomerSpec(
        name="陈静",
        phone="17700001111",
        id_number="510107197912035671",
        employer="成都锦城建设集团",
        salary=30000,
        rent=0,
        cards=(
            CardSpec("debit", "借记卡·白金卡", "9023"),
            CardSpec("debit", "借记卡·普卡", "5536"),
            CardSpec("credit", "白金信用卡", "7318", credit_limit=_d("100000")),
            CardSpec("credit", "商旅信用卡", "6604", credit_limit=_d("40000")),
        ),
        time_deposit=_d("300000"),
        policies=(
            PolicySpec("P2021000501", "守护一生重疾险", "重疾险", "有效", 1500, 365 * 30, _d("800000"), _d("15600")),
            PolicySpec("P2025000502", "家用车综合险", "车险", "有效", 90, 365, _d("1000000"), _d("5230")),
            PolicySpec("P2020000503", "传家终身寿险", "寿险", "有效", 2000, 365 * 40, _d("2000000"), _d("26000")),
        ),
        claims=(
            ClaimSpec(
                "P2021000501", "C2025000505", "已赔付", 240, "重疾确诊", "甲状腺癌确诊，申请重疾赔付", _d("800000")
            ),
        ),
    ),
    CustomerSpec(
        name="杨磊",
        phone="13566667777",
        id_number="420102199502288911",
        employer="武汉光谷物流有限公司",
        salary=12000,
        rent=2600,
        cards=(
            CardSpec("debit", "借记卡·普卡", "2468"),
            CardSpec("credit", "青春信用卡", "1357", credit_limit=_d("10000")),
        ),
        policies=(PolicySpec("P2025000601", "出行无忧意外险", "意外险", "有效", 45, 365, _d("500000"), _d("198")),),
    ),
)
