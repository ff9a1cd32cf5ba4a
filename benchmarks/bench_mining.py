"""Mining benchmark: `kefu kb unanswered --json` over 10,000 unanswered customer messages (target < 60 s).

Usage: python benchmarks/bench_mining.py [--messages 10000] [--days 30] [--cores 2]
                                         [--out benchmarks/results/mining.json]

A temporary SQLite database gets the project's knowledge base and Rasa's tracker store table, filled the way
the redacting tracker store writes it (Rasa's events, redacted, one row each) with seeded, deterministic
conversations: customers ask in their own words about needs from varied templates (fillers, typos, numbers to
be masked), and each of `--messages` questions goes unresolved — no match, a clarification, an answer the
customer rejects (「不对」) or a handoff — between answered questions that must not count. The knowledge
base's sentence embeddings are built beforehand, as `kefu kb index` does at deployment. Then the command runs
as an operator runs it, with embeddings on, in its own process on `--cores` cores, and its JSON is checked:
every unresolved message in exactly one cluster, for the reason it went unresolved. The seeding is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, UserUttered

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content.files import import_content  # noqa: E402
from bot.content.serving import build_index  # noqa: E402
from bot.core.paths import KNOWLEDGE_BASE_DIR  # noqa: E402
from bot.core.text import normalize  # noqa: E402
from bot.privacy.redaction import redact_events  # noqa: E402
from bot.privacy.tracker_stores import RedactingSQLTrackerStore  # noqa: E402

TARGET_S = 60.0
BATCH = 20_000
CHANNELS = ("rest", "socketio", "wechat")
REASONS = ("no_match", "clarify", "rejected", "handoff")
REASON_WEIGHTS = (0.45, 0.25, 0.15, 0.15)

# Needs customers bring, each in several wordings of our own; {slot}s are filled from SLOTS.
TOPICS: dict[str, list[str]] = {
    "数字人民币": ["数字人民币钱包怎么开通", "我想开个数币钱包要怎么弄", "数字人民币能绑你们的{card}吗",
                "数币钱包充值有限额吗", "e-CNY钱包在哪里开"],
    "个人养老金": ["养老金那个账户在哪开户", "养老金账户每年能存多少", "个人养老金可以抵税吗",
                "开了养老金账户钱能提前取出来吗", "个人养老金买什么产品好"],
    "境外取现": ["在{country}用{card}取钱要手续费吗", "出国刷卡有没有货币转换费", "国外ATM取现一次最多取多少",
              "去{country}旅游卡能直接用吗", "境外消费回来怎么还外币"],
    "积分兑换": ["{card}积分能换航空里程吗", "积分快过期了怎么兑换", "积分商城的东西怎么不能兑了",
              "刷卡积分怎么算的", "积分可以抵年费吗"],
    "提前还房贷": ["房贷想提前还一部分要预约吗", "提前还贷有没有违约金", "房贷还了{years}年能提前还清吗",
               "提前还款后月供会变吗", "怎么申请提前还房贷"],
    "人脸识别": ["手机银行刷脸一直失败", "人脸识别过不了怎么办", "转账要刷脸但是认证不通过",
              "换了手机以后人脸验证不了", "刷脸提示不是本人操作"],
    "验证码": ["收不到短信验证码", "验证码一直不来", "手机{phone}收不到你们的验证码",
            "验证码发了好几次都没收到", "短信验证码过期太快了"],
    "账户冻结": ["我的卡被限制非柜面交易了", "卡突然不能转账了说是被冻结", "账户被风控了怎么解除",
              "为什么我的{card}被止付了", "卡被锁了去网点要带什么"],
    "云闪付": ["云闪付怎么绑定你们的卡", "云闪付绑卡一直提示失败", "银联云闪付扫码付款可以用{card}吗",
            "云闪付里的卡怎么解绑"],
    "存款证明": ["怎么开存款证明", "办签证要存款证明去哪开", "存款证明要冻结多久", "能开{amount}的资信证明吗"],
    "大额存单": ["大额存单几万块起存啊", "大额存单现在利率多少", "大额存单可以提前支取吗",
              "大额存单没到期能转给别人吗"],
    "公积金贷款": ["公积金贷款能在你们这办吗", "组合贷怎么申请", "公积金贷款要多久放款",
              "商贷能转公积金贷款吗"],
    "ETC": ["想办个ETC找谁", "ETC扣费失败了", "ETC设备坏了去哪换", "用{card}办ETC有优惠吗"],
    "车险拍照": ["车险理赔照片怎么上传", "出险了要拍哪些照片", "定损照片上传不了", "小刮蹭理赔要拍现场吗"],
    "保单贷款": ["保单能贷款吗", "用保单借钱利息多少", "保单贷款最多能借多少", "保单质押贷款怎么还"],
    "异地医保": ["异地看病能报销吗", "在外地住院医疗险怎么报", "异地就医要先备案吗", "外地买的药能理赔吗"],
    "退保费用": ["现在退保能退多少钱", "退保要扣手续费吗", "犹豫期过了退保亏多少", "退保后钱多久到账"],
    "理财赎回": ["理财卖出去钱几天能回来", "理财没到期可以先取出来吗", "赎回的钱怎么还没到", "周末赎回理财什么时候到"],
    "社保卡": ["社保卡怎么激活", "社保卡金融功能在哪开通", "社保卡丢了补办要多久", "社保卡密码忘了"],
    "子女开户": ["孩子未成年能开户吗", "给小孩办卡要带什么", "帮我儿子开个账户需要本人来吗",
              "未成年人能办手机银行吗"],
    "工资代发": ["公司代发工资用你们的卡吗", "工资卡换成别的银行可以吗", "代发工资没到账怎么查"],
    "电子回单": ["转账电子回单在哪下载", "怎么打印转账凭证", "手机银行能出流水盖章吗", "开个{years}年的流水"],
}
SLOTS = {
    "card": ["信用卡", "借记卡", "储蓄卡", "白金卡", "工资卡"],
    "country": ["日本", "泰国", "美国", "欧洲", "香港"],
    "years": ["一", "两", "三", "五"],
    "amount": ["五十万", "100万", "二十万"],
    "phone": ["13812345678", "15900001111", "18655556666"],
}
OPENERS = ["", "", "", "你好，", "您好 ", "请问", "问一下，", "麻烦问下", "客服，", "那个", "急！", "咨询一下"]
CLOSERS = ["", "", "", "？", "?", "？？", "。", "啊", "呢", "谢谢", "，急", "，在线等", "哈"]
TYPOS = [("账", "帐"), ("怎么", "怎末"), ("信用卡", "信用咔"), ("信用卡", "xyk"), ("能", "可以"),
         ("吗", "嘛"), ("转账", "转帐"), ("验证码", "验证吗"), ("手机银行", "手机app"), ("退保", "退包")]
ANSWERED = [("信用卡年费是多少", "credit_card-004"), ("借记卡丢了怎么挂失", "debit_card-001"),
            ("转账限额是多少", "transfer-001"), ("ATM吞卡了怎么办", "debit_card-014")]
CARD_NUMBER = "6222021234567890123"


def wording(rng: random.Random) -> str:
    """One customer message about a random need: a template with its slots filled, fillers and typos."""
    template = rng.choice(TOPICS[rng.choice(list(TOPICS))])
    text = template.format(**{name: rng.choice(values) for name, values in SLOTS.items()})
    if rng.random() < 0.25:
        original, typo = rng.choice(TYPOS)
        text = text.replace(original, typo, 1)
    if rng.random() < 0.03:
        text = f"{text}，卡号{CARD_NUMBER}"
    return f"{rng.choice(OPENERS)}{text}{rng.choice(CLOSERS)}"


def _user(text: str, intent: str, at: float, channel: str) -> UserUttered:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.62}, "entities": []}
    return UserUttered(text, intent=parse["intent"], parse_data=parse, timestamp=at, input_channel=channel)


def _reply(outcome: str, at: float, faq_id: str | None = None) -> list[Event]:
    return [
        ActionExecuted("action_answer_faq", timestamp=at),
        BotUttered("…", metadata={"faq_id": faq_id, "faq_confidence": 0.3, "faq_outcome": outcome}, timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]


def conversation(questions: list[tuple[str, str]], start: datetime, rng: random.Random) -> list[Event]:
    """A stored conversation in which each (message, reason) question goes unresolved for that reason, with an
    answered question (and thanks) now and then."""
    at = start.timestamp()
    channel = rng.choice(CHANNELS)
    events: list[Event] = [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
                           ActionExecuted("action_listen", timestamp=at)]
    for text, reason in questions:
        if rng.random() < 0.3:
            at += rng.randint(5, 60)
            question, entry = rng.choice(ANSWERED)
            events += [_user(question, "faq", at, channel), *_reply("answer", at + 1, entry),
                       _user("好的谢谢", "thanks", at + 10, channel),
                       ActionExecuted("action_listen", timestamp=at + 10)]
        at += rng.randint(5, 90)
        events.append(_user(text, "faq", at, channel))
        if reason == "no_match":
            events += _reply("none", at + 1)
        elif reason == "clarify":
            events += _reply("clarify", at + 1)
        elif reason == "rejected":
            events += [*_reply("answer", at + 1, rng.choice(ANSWERED)[1]), _user("不对", "deny", at + 8, channel)]
        else:
            events += [*_reply("answer", at + 1, rng.choice(ANSWERED)[1]),
                       _user("转人工", "request_human", at + 8, channel),
                       ActionExecuted("action_handoff", timestamp=at + 9)]
    return events


def conversations(
    messages: int, days: int, now: datetime, rng: random.Random
) -> Iterator[tuple[list[tuple[str, str]], list[Event]]]:
    """Conversations over the last `days` days holding `messages` unresolved questions in all, each with its
    (message, reason) questions."""
    first = now - timedelta(days=days)
    left = messages
    while left:
        count = min(left, rng.choice((1, 1, 1, 2, 2, 3)))
        left -= count
        questions = [(wording(rng), rng.choices(REASONS, REASON_WEIGHTS)[0]) for _ in range(count)]
        start = first + timedelta(seconds=rng.randrange(days * 86400 - 3600))
        yield questions, conversation(questions, start, rng)


def seed(url: str, messages: int, days: int, rng: random.Random) -> dict:
    """Write the conversations into the tracker store's table as the redacting store does: the rows written,
    the distinct messages and how many went unresolved for each reason."""
    store = RedactingSQLTrackerStore(host=url)
    table = store.SQLEvent.__table__
    rows: list[dict] = []
    written = count = 0
    reasons: Counter[str] = Counter()
    texts: set[str] = set()
    with store.engine.begin() as connection:
        for count, (questions, events) in enumerate(conversations(messages, days, datetime.now(), rng), start=1):
            reasons.update(reason for _text, reason in questions)
            texts.update(normalize(text) for text, _reason in questions)
            sender = f"bench-{count:06d}"
            for data in redact_events(event.as_dict() for event in events):
                rows.append({
                    "sender_id": sender, "type_name": data["event"], "timestamp": data.get("timestamp"),
                    "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                    "action_name": data.get("name"), "data": json.dumps(data),
                })
            if len(rows) >= BATCH:
                connection.execute(table.insert(), rows)
                written += len(rows)
                rows = []
        connection.execute(table.insert(), rows)
        written += len(rows)
    store.engine.dispose()
    return {"conversations": count, "events": written, "distinct_messages": len(texts),
            "reasons": dict(sorted(reasons.items()))}


def _pinned(cores: int) -> None:
    """In the child process: run on the first `cores` CPUs this process may use (0: all of them)."""
    if cores:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])


def run_command(url: str, cores: int) -> tuple[float, dict]:
    """`kefu kb unanswered --json` against `url` with embeddings on: wall seconds and its JSON."""
    env = {**os.environ, "DATABASE_URL": url, "KEFU_KB_EMBEDDINGS": "1"}
    env.pop("KEFU_TRACKER_URL", None)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "kb", "unanswered", "--json"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True, preexec_fn=lambda: _pinned(cores),
    )
    return time.perf_counter() - started, json.loads(result.stdout)


def measure(messages: int, days: int, cores: int) -> dict:
    """Seed a temporary database and time the mining command on it."""
    with tempfile.TemporaryDirectory(prefix="kefu-mining-") as folder:
        url = f"sqlite:///{Path(folder) / 'kefu.db'}"
        import_content(KNOWLEDGE_BASE_DIR, url)
        index_s, _entries = build_index(KNOWLEDGE_BASE_DIR)
        started = time.perf_counter()
        rows = seed(url, messages, days, random.Random(17))
        seeding = time.perf_counter() - started
        seconds, output = run_command(url, cores)
    clusters = output["clusters"]
    sizes = [cluster["size"] for cluster in clusters]
    mined: Counter[str] = Counter()
    for cluster in clusters:
        mined.update(cluster["reasons"])
    return {
        "cpus": os.cpu_count(), "cores": cores or os.cpu_count(), "load_average": round(os.getloadavg()[0], 2),
        "messages": messages, "days": days, "rows": rows, "seeding_s": round(seeding, 1),
        "index_s": round(index_s, 1), "seconds": round(seconds, 1), "clusters": len(clusters),
        "mined": dict(sorted(mined.items())), "largest_cluster": max(sizes, default=0),
        "singletons": sum(1 for size in sizes if size == 1),
        "suggested": sum(1 for cluster in clusters if cluster["suggested_entry"]),
        "largest": [{key: cluster[key] for key in ("size", "examples", "suggested_entry")}
                    for cluster in clusters[:10]],
        "target_s": TARGET_S, "passed": seconds < TARGET_S and mined == rows["reasons"],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the JSON, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--cores", type=int, default=2, help="CPUs the command may use (0: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "mining.json")
    args = parser.parse_args(argv)
    result = measure(args.messages, args.days, args.cores)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"mining {result['messages']:,} unanswered messages in {result['rows']['conversations']:,} conversations "
          f"({result['rows']['events']:,} stored events, seeded in {result['seeding_s']} s) on {result['cores']} "
          f"cores, load average {result['load_average']}")
    print(f"  kefu kb unanswered --json: {result['seconds']} s, {result['clusters']:,} clusters "
          f"(largest {result['largest_cluster']}, {result['singletons']} single messages), "
          f"{sum(result['mined'].values()):,} messages mined "
          f"({result['rows']['distinct_messages']:,} distinct)")
    print(f"target < {TARGET_S} s with every message mined: {'pass' if result['passed'] else 'miss'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
