"""`kefu kb ...`: validate, import, export, index, calibrate and evaluate the knowledge base, and mine the
questions it did not answer."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from bot.content.files import ContentError, export_jsonl, import_content, load_content, read_content
from bot.content.serving import CALIBRATION_FILE, THRESHOLDS_FILE, build_index, serving_knowledge_base
from bot.content.yaml_export import export_yaml
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.core.settings import current_settings
from bot.kb import KnowledgeBase
from bot.kb.evaluate import evaluate_files, load_labelled_queries
from bot.kb.prior_fit import refit_priors
from bot.kb.rank.calibration import write_thresholds
from bot.operations.report import period_start
from bot.operations.unanswered import mine_stored


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `kb` command group."""
    kb = subparsers.add_parser("kb", help="知识库：校验、导入、导出、评测")
    commands = kb.add_subparsers(dest="kb_command", required=True)
    validate = commands.add_parser("validate", help="校验知识库文件（重复、冲突问题给出文件和行号）")
    validate.add_argument("--dir", type=Path, default=KNOWLEDGE_BASE_DIR)
    validate.set_defaults(handler=_validate)
    do_import = commands.add_parser("import", help="校验后导入数据库（全部成功或全部不变）")
    do_import.add_argument("--dir", type=Path, default=KNOWLEDGE_BASE_DIR)
    do_import.set_defaults(handler=_import)
    export = commands.add_parser(
        "export", help="把已发布的知识库写回 knowledge_base/faq/*.yml（保持原有文件与顺序，便于 git 提交）")
    export.add_argument("--dir", type=Path, default=KNOWLEDGE_BASE_DIR, help="知识库目录（默认 knowledge_base/）")
    export.add_argument("--jsonl", type=Path, default=None, help="改为导出评测用的 JSONL 文件")
    export.set_defaults(handler=_export)
    index = commands.add_parser("index", help="建立检索索引（计算并缓存知识库的句向量）")
    index.add_argument("--dir", type=Path, default=KNOWLEDGE_BASE_DIR)
    index.set_defaults(handler=_index)
    prior = commands.add_parser("prior", help="用本项目知识库重新拟合无相似问知识库使用的先验排序模型")
    prior.set_defaults(handler=_prior)
    calibrate = commands.add_parser(
        "calibrate", help="用真实客户问法（JSONL：query、expected_id，无答案为 null）校准答复/澄清/拒答阈值"
    )
    calibrate.add_argument("--queries", type=Path, default=KNOWLEDGE_BASE_DIR / CALIBRATION_FILE)
    calibrate.add_argument("--dir", type=Path, default=KNOWLEDGE_BASE_DIR)
    calibrate.set_defaults(handler=_calibrate)
    unanswered = commands.add_parser(
        "unanswered", help="挖掘未答出的客户问题：无答案、需澄清、被否定或转人工的问题，按同一诉求聚类")
    unanswered.add_argument("--json", action="store_true", help="输出一个 JSON 对象（供其他工具读取）")
    unanswered.add_argument("--days", type=int, default=None, help="只看最近 N 天（含今天；默认全部）")
    unanswered.set_defaults(handler=_unanswered)
    evaluate = commands.add_parser("evaluate", help="在问答与查询 JSONL 上评测检索效果")
    evaluate.add_argument("--faq", type=Path, required=True)
    evaluate.add_argument("--queries", type=Path, required=True)
    evaluate.set_defaults(handler=_evaluate)


def _report(error: ContentError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"知识库校验失败：{len(error.problems)} 个问题", file=sys.stderr)
    return 1


def _validate(args: argparse.Namespace) -> int:
    try:
        content = load_content(args.dir)
    except ContentError as error:
        return _report(error)
    print(
        f"知识库校验通过：{len(content.entries)} 条问答，{len(content.synonyms)} 个同义词，"
        f"{len(content.branches)} 个网点"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        content = import_content(args.dir)
    except ContentError as error:
        return _report(error)
    print(f"已导入 {len(content.entries)} 条问答，{len(content.synonyms)} 个同义词，{len(content.branches)} 个网点")
    return 0


def _export(args: argparse.Namespace) -> int:
    content = read_content()
    if args.jsonl is not None:
        export_jsonl(content, args.jsonl)
        print(f"已导出 {len(content.entries)} 条问答到 {args.jsonl}")
        return 0
    files = export_yaml(content.entries, args.dir)
    print(f"已导出 {len(content.entries)} 条问答到 {args.dir / 'faq'}（{len(files)} 个文件）")
    return 0


def _index(args: argparse.Namespace) -> int:
    try:
        seconds, entries = build_index(args.dir)
    except ContentError as error:
        return _report(error)
    print(f"检索索引已就绪：{entries} 条问答，用时 {seconds:.1f} 秒")
    return 0


def _prior(_args: argparse.Namespace) -> int:
    for path, thresholds in refit_priors():
        print(f"已写入 {path}：阈值 {thresholds}")
    return 0


def _unanswered(args: argparse.Namespace) -> int:
    if args.days is not None and args.days < 1:
        print("--days 应为正整数")
        return 2
    clusters = mine_stored(current_settings().conversations_url, period_start(args.days, datetime.now()),
                           _stored_knowledge_base)
    if args.json:
        print(json.dumps({"clusters": [cluster.as_json() for cluster in clusters]}, ensure_ascii=False))
        return 0
    if not clusters:
        print("没有未答出的客户问题")
    for number, cluster in enumerate(clusters, start=1):
        entry = cluster.suggested_entry
        target = f"最接近的问答：{entry['id']} {entry['question']}" if entry else "知识库中没有接近的问答"
        print(f"{number}. {len(cluster.messages)} 条，{target}")
        for example in cluster.examples:
            print(f"     · {example}")
    return 0


def _stored_knowledge_base() -> KnowledgeBase | None:
    """The knowledge base stored in the database, or None when it holds no entries yet."""
    content = read_content()
    return serving_knowledge_base(content.entries, content.synonyms) if content.entries else None


def _calibrate(args: argparse.Namespace) -> int:
    try:
        content = load_content(args.dir)
        queries = load_labelled_queries(args.queries)
    except ContentError as error:
        return _report(error)
    except (OSError, ValueError) as error:
        print(f"无法读取校准问法文件 {args.queries}：{error}", file=sys.stderr)
        return 1
    (args.dir / THRESHOLDS_FILE).unlink(missing_ok=True)
    kb = serving_knowledge_base(content.entries, content.synonyms)
    thresholds = kb.calibrate(queries)
    write_thresholds(args.dir / THRESHOLDS_FILE, thresholds, args.queries.name, len(queries))
    print(f"已写入 {args.dir / THRESHOLDS_FILE}：{len(queries)} 条问法，阈值 {thresholds}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    print(json.dumps(evaluate_files(args.faq, args.queries), ensure_ascii=False))
    return 0
