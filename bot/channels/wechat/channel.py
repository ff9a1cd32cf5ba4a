"""Rasa input channel for a WeChat Official Account (微信公众号): `/webhooks/wechat/webhook`.

Configured from the environment (see `WeChatSettings`). The conversation's sender id is the customer's
OpenID, unprefixed, so `get_output_channel().send_response(openid, ...)` reaches them through the
customer-service message API. Each POST is signature-checked; safe mode (`encrypt_type=aes`) is decrypted and
answered encrypted. Unsubscribing ends the follower's binding to a customer. The bot's messages for a turn go
back as one passive reply when ready within `WECHAT_REPLY_DEADLINE`, otherwise the request is answered
`success` and the reply is sent later by the API.
"""

from __future__ import annotations

import asyncio
import binascii
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.accounts.bindings import unbind_follower
from bot.channels.guard import UNAVAILABLE, TurnGuard
from bot.channels.wechat.api import WeChatApiClient, WeChatApiError
from bot.channels.wechat.config import WeChatSettings
from bot.channels.wechat.inbound import delivery_key, interpret, well_formed
from bot.channels.wechat.output import WeChatOutput, WeChatReply, pick_option, render_messages, split_text
from bot.channels.wechat.store import WeChatStore, make_store
from bot.observability.metrics import WECHAT_DEADLINE_MISSES, WECHAT_PASSIVE_REPLIES

logger = logging.getLogger(__name__)

MAX_CLOCK_SKEW = 300  # seconds a request's timestamp may differ from our clock
SUCCESS = "success"  # tells WeChat not to retry and to show nothing
NOT_CONFIGURED = "微信渠道未配置，暂不可用。"
SAFE_MODE_NOT_CONFIGURED = "微信安全模式未配置，暂不可用。"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class WeChatInput(InputChannel):
    """WeChat Official Account webhook: URL verification (GET) and messages (POST)."""

    @classmethod
    def name(cls) -> str:
        """URL prefix of the channel."""
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Ignore credentials.yml: the settings come from the environment."""
        return cls(WeChatSettings.from_env())

    def __init__(self, settings: WeChatSettings, store: WeChatStore | None = None) -> None:
        self.settings = settings
        self.store = store or make_store(settings.redis_url)
        self.api = WeChatApiClient(settings.api_base, settings.app_id, settings.app_secret)
        self.crypto = self._make_crypto(settings)
        self._background: set[asyncio.Task] = set()
        if not settings.token:
            logger.warning("WECHAT_TOKEN is not set: the WeChat channel answers 503 until it is configured")

    @staticmethod
    def _make_crypto(settings: WeChatSettings) -> WeChatCrypto | None:
        """The safe-mode cipher, or None when safe mode is not (correctly) configured."""
        if not (settings.token and settings.encoding_aes_key):
            return None
        if not settings.app_id:
            logger.error("WECHAT_ENCODING_AES_KEY is set without WECHAT_APP_ID: WeChat safe mode disabled")
            return None
        try:
            return WeChatCrypto(settings.token, settings.encoding_aes_key, settings.app_id)
        except (AssertionError, binascii.Error, ValueError):
            logger.error("WECHAT_ENCODING_AES_KEY is not a valid 43-character key: WeChat safe mode disabled")
            return None

    def get_output_channel(self) -> WeChatOutput:
        """Sends through the customer-service message API (late replies, human agents' messages)."""
        return WeChatOutput(self.api, self.store)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Routes: `GET /` (health), `GET /webhook` (URL verification), `POST /webhook` (messages)."""
        webhook = Blueprint("wechat_webhook", __name__)
        guard = TurnGuard(on_new_message)
        guard.attach(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.token else "not configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            rejection = self._reject(request)
            return rejection or response.text(request.args.get("echostr") or "")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return self._reject(request) or await self._receive(request, guard)

        return webhook

    def _reject(self, request: Request) -> HTTPResponse | None:
        """An error response unless the request is signed with our token and recent."""
        if not self.settings.token:
            logger.warning("WeChat request refused: WECHAT_TOKEN is not set")
            return response.text(NOT_CONFIGURED, status=503)
        signature, timestamp, nonce = (request.args.get(name) for name in ("signature", "timestamp", "nonce"))
        if not (signature and timestamp and nonce):
            return response.text("缺少签名参数。", status=400)
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            logger.warning("WeChat request refused: timestamp %r outside the allowed window", timestamp)
            return response.text("请求已过期。", status=403)
        try:
            check_signature(self.settings.token, signature, timestamp, nonce)
        except InvalidSignatureException:
            logger.warning("WeChat request refused: invalid signature")
            return response.text("签名无效。", status=403)
        return None

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Decode the message, drop repeats, answer it (passively or later through the API)."""
        encrypted = request.args.get("encrypt_type") == "aes"
        if encrypted and self.crypto is None:
            logger.warning("Encrypted WeChat message refused: safe mode is not configured")
            return response.text(SAFE_MODE_NOT_CONFIGURED, status=503)
        try:
            xml = request.body.decode("utf-8")
            if encrypted:
                args = request.args
                xml = self.crypto.decrypt_message(
                    xml, args.get("msg_signature") or "", args.get("timestamp"), args.get("nonce")
                )
            message = parse_message(xml)
        except (InvalidSignatureException, InvalidAppIdException):
            logger.warning("Encrypted WeChat message refused: bad msg_signature or AppID")
            return response.text("签名无效。", status=403)
        except Exception:  # malformed XML, base64 or padding from an untrusted body
            logger.warning("Malformed WeChat message", exc_info=True)
            return response.text("消息格式错误。", status=400)
        if message is None or not well_formed(message):
            return response.text("消息不完整。", status=400)
        if not await self.store.claim(delivery_key(message)):
            logger.info("Repeated WeChat delivery %s ignored", delivery_key(message))
            return response.text(SUCCESS)
        inbound = interpret(message)
        if inbound.unsubscribed:
            await asyncio.to_thread(unbind_follower, message.source)
        if inbound.reply:
            return self._passive(request, message, inbound.reply, encrypted)
        if not inbound.bot_text:
            return response.text(SUCCESS)
        reply = await self._ask_bot(message, inbound.bot_text, on_new_message)
        if reply is None:
            return response.text(SUCCESS)
        await self.store.save_options(message.source, reply.payloads)
        chunks = split_text(reply.text)
        if not chunks:
            return response.text(SUCCESS)
        if len(chunks) > 1:
            self._in_background(self._send_chunks(message.source, chunks[1:]))
        return self._passive(request, message, chunks[0], encrypted)

    async def _ask_bot(self, message: BaseMessage, text: str, on_new_message: OnNewMessage) -> WeChatReply | None:
        """The bot's reply if ready within the deadline; otherwise None, and it is sent through the API later."""
        openid = message.source
        text = pick_option(text, await self.store.load_options(openid)) or text
        collector = CollectingOutputChannel()
        user_message = UserMessage(
            text, collector, openid, input_channel=self.name(), message_id=delivery_key(message)
        )
        turn = asyncio.ensure_future(on_new_message(user_message))
        done, _ = await asyncio.wait({turn}, timeout=self.settings.reply_deadline)
        if done:
            return self._reply_of(turn, collector)
        logger.info("Bot reply for a WeChat user missed the %.1f s deadline: sending it later through the API",
                    self.settings.reply_deadline)
        WECHAT_DEADLINE_MISSES.inc()
        self._in_background(self._send_late(openid, turn, collector))
        return None

    @staticmethod
    def _reply_of(turn: asyncio.Future, collector: CollectingOutputChannel) -> WeChatReply:
        """The collected messages of a finished turn (the guard answers failures), or an apology if cancelled."""
        if turn.cancelled():
            logger.error("The bot's turn for a WeChat message was cancelled")
            return WeChatReply(UNAVAILABLE)
        return render_messages(collector.messages)

    async def _send_late(self, openid: str, turn: asyncio.Future, collector: CollectingOutputChannel) -> None:
        """Wait for the slow turn, then send its reply through the customer-service message API."""
        await asyncio.wait({turn})
        reply = self._reply_of(turn, collector)
        if not reply.text:
            return
        try:
            await self.get_output_channel().deliver(openid, reply)
        except WeChatApiError:
            logger.exception("Late WeChat reply could not be sent")

    async def _send_chunks(self, openid: str, chunks: list[str]) -> None:
        """Send the parts of a long reply that did not fit the passive reply."""
        try:
            for chunk in chunks:
                await self.api.send_text(openid, chunk)
        except WeChatApiError:
            logger.exception("The rest of a long WeChat reply could not be sent")

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the response, keeping a reference so it is not garbage-collected."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _passive(self, request: Request, message: BaseMessage, content: str, encrypted: bool) -> HTTPResponse:
        """A passive text reply, encrypted and signed in safe mode."""
        content = content.replace("]]>", "]]]]><![CDATA[>")  # TextReply puts the text in CDATA without escaping
        xml = TextReply(source=message.target, target=message.source, content=content, time=int(time.time())).render()
        if encrypted:
            xml = self.crypto.encrypt_message(xml, request.args.get("nonce"), str(int(time.time())))
        WECHAT_PASSIVE_REPLIES.inc()
        return response.text(xml, content_type="application/xml; charset=utf-8")
