"""`kefu agent`: console accounts and their roles (add, list, change a password)."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.core.db import database_session
from bot.db.migrate import upgrade
from bot.handoff.agents import AgentExists, AgentService
from bot.handoff.roles import AGENT, ROLE_LABELS, ROLES


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `agent` command group."""
    agent = subparsers.add_parser("agent", help="管理人工客服账号")
    agent_commands = agent.add_subparsers(dest="agent_command", required=True)
    add = agent_commands.add_parser("add", help="新增客服账号")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="客户看到的称呼，例如 小王")
    add.add_argument(
        "--role", choices=ROLES, default=AGENT,
        help="角色：agent 客服（默认）、supervisor 主管、editor 知识编辑、approver 知识审核",
    )
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（用于脚本）")
    add.set_defaults(handler=_agent_add)
    passwd = agent_commands.add_parser("passwd", help="修改客服密码（该客服已登录的会话全部失效）")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码（用于脚本）")
    passwd.set_defaults(handler=_agent_passwd)
    agent_commands.add_parser("list", help="列出客服账号").set_defaults(handler=_agent_list)


def _agent_add(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("密码：")
    upgrade()
    with database_session() as session:
        try:
            agent = AgentService(session).add(args.username, args.name, password, args.role)
        except AgentExists:
            print(f"用户名 {args.username} 已存在")
            return 1
        except ValueError as error:
            print(error)
            return 1
        print(f"已创建{ROLE_LABELS[agent.role]} {agent.display_name}（{agent.username}）")
    return 0


def _agent_passwd(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("新密码：")
    upgrade()
    with database_session() as session:
        try:
            ended = AgentService(session).change_password(args.username, password)
        except LookupError:
            print(f"没有客服 {args.username}")
            return 1
        except ValueError as error:
            print(error)
            return 1
    print(f"已修改 {args.username} 的密码，结束了 {ended} 个登录会话")
    return 0


def _agent_list(_args: argparse.Namespace) -> int:
    with database_session() as session:
        for agent in AgentService(session).all():
            print(f"{agent.username}\t{agent.display_name}\t{agent.role}")
    return 0
