"""The WeChat side of the tests: a platform that signs (and encrypts) deliveries like WeChat's servers do,
and a fake customer-service message API on loopback that issues tokens and records sent messages."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

import requests
from wechatpy.crypto import WeChatCrypto

if TYPE_CHECKING:
    from tests.support.servers import WeChatAccount



def sha1_signature(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted, concatenated parts."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


@dataclass
class FakeApiState:
    """What the fake API has issued and received; `reject_tokens` makes the next sends fail with 40001."""

    app_id: str
    app_secret: str
    tokens_issued: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    reject_tokens: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts_to(self, openid: str) -> list[str]:
        """Contents of the text messages sent to `openid`, in order."""
        with self.lock:
            return [item["text"]["content"] for item in self.sent if item.get("touser") == openid]

    def wait_for_texts(self, openid: str, count: int = 1, timeout: float = 30) -> list[str]:
        """Wait until at least `count` messages reached `openid`, then return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.texts_to(openid)
            if len(texts) >= count:
                return texts
            time.sleep(0.1)
        return self.texts_to(openid)


class FakeWeChatApi:
    """`GET /cgi-bin/token` and `POST /cgi-bin/message/custom/send`, as WeChat answers them."""

    def __init__(self, port: int, app_id: str, app_secret: str) -> None:
        self.state = FakeApiState(app_id, app_secret)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeApiState:
        self.thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

            def _answer(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path != "/cgi-bin/token" or query.get("grant_type") != "client_credential":
                    self._answer({"errcode": 40002, "errmsg": "invalid grant_type"})
                elif (query.get("appid"), query.get("secret")) != (state.app_id, state.app_secret):
                    self._answer({"errcode": 40125, "errmsg": "invalid appsecret"})
                else:
                    with state.lock:
                        token = f"token-{len(state.tokens_issued) + 1}-{secrets.token_hex(4)}"
                        state.tokens_issued.append(token)
                    self._answer({"access_token": token, "expires_in": 7200})

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                url = urlparse(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8"))
                with state.lock:
                    valid = bool(state.tokens_issued) and token == state.tokens_issued[-1]
                    if valid and state.reject_tokens:
                        state.reject_tokens -= 1
                        valid = False
                    if url.path != "/cgi-bin/message/custom/send":
                        answer = {"errcode": 48001, "errmsg": "api unauthorized"}
                    elif not valid:
                        answer = {"errcode": 40001, "errmsg": "invalid credential"}
                    else:
                        state.sent.append(body)
                        answer = {"errcode": 0, "errmsg": "ok"}
                self._answer(answer)

        return Handler


@dataclass
class Delivery:
    """What the channel answered to one delivery."""

    status: int
    body: str
    fields: dict[str, str]

    @property
    def content(self) -> str | None:
        """The passive reply's text, or None when the answer was `success`/empty."""
        return self.fields.get("Content")


class WeChatPlatform:
    """Delivers messages to the channel's webhook the way WeChat's servers do."""

    def __init__(self, base_url: str, account: WeChatAccount, official_id: str = "gh_kefu_test") -> None:
        self.url = f"{base_url.rstrip('/')}/webhooks/wechat/webhook"
        self.account = account
        self.official_id = official_id
        self.crypto = WeChatCrypto(account.token, account.encoding_aes_key, account.app_id)

    def signed_query(self, timestamp: int | None = None, token: str | None = None) -> dict[str, str]:
        """`signature`, `timestamp`, `nonce` for a request (signed with another token to forge one)."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(5)
        return {"signature": sha1_signature(token or self.account.token, stamp, nonce), "timestamp": stamp,
                "nonce": nonce}

    def verify(self, echostr: str, **sign: Any) -> requests.Response:
        """The URL verification GET (服务器配置 → 提交)."""
        return requests.get(self.url, params={**self.signed_query(**sign), "echostr": echostr}, timeout=30)

    def deliver(self, fields: dict[str, str | int], safe: bool = False, **sign: Any) -> Delivery:
        """POST one message as XML, plaintext or in safe mode; decrypt and check the answer."""
        query = self.signed_query(**sign)
        body = xml_document({"ToUserName": self.official_id, "CreateTime": int(time.time()), **fields})
        if safe:
            encrypted = self.crypto.encrypt_message(body, query["nonce"], query["timestamp"])
            encrypt = ElementTree.fromstring(encrypted).findtext("Encrypt") or ""
            query["encrypt_type"] = "aes"
            query["msg_signature"] = sha1_signature(self.account.token, query["timestamp"], query["nonce"], encrypt)
            body = xml_document({"ToUserName": self.official_id, "Encrypt": encrypt})
        response = requests.post(self.url, params=query, data=body.encode("utf-8"), timeout=60)
        return Delivery(response.status_code, response.text, self._reply_fields(response, safe))

    def _reply_fields(self, response: requests.Response, safe: bool) -> dict[str, str]:
        """The reply XML's fields; in safe mode the signature is checked and the reply decrypted."""
        if response.status_code != 200 or response.text.strip() in ("", "success"):
            return {}
        xml = response.text
        if safe:
            outer = xml_fields(xml)
            expected = sha1_signature(self.account.token, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
            assert outer["MsgSignature"] == expected, "reply's msg_signature does not match"
            xml = self.crypto.decrypt_message(xml, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return xml_fields(xml)

    def text(self, openid: str, content: str, msg_id: int | None = None, safe: bool = False) -> Delivery:
        """A customer's text message."""
        fields = {"FromUserName": openid, "MsgType": "text", "Content": content, "MsgId": msg_id or new_msg_id()}
        return self.deliver(fields, safe=safe)

    def event(self, openid: str, event: str, key: str | None = None) -> Delivery:
        """A subscribe / unsubscribe / CLICK event."""
        fields: dict[str, str | int] = {"FromUserName": openid, "MsgType": "event", "Event": event}
        if key is not None:
            fields["EventKey"] = key
        return self.deliver(fields)


def new_msg_id() -> int:
    """A fresh 64-bit MsgId."""
    return secrets.randbits(62)


def new_openid() -> str:
    """A fresh OpenID-like user id."""
    return "o" + secrets.token_urlsafe(20)[:27]


def xml_document(fields: dict[str, Any]) -> str:
    """A WeChat XML message (strings in CDATA, numbers bare)."""
    nodes = [f"<{name}>{value}</{name}>" if isinstance(value, int) else f"<{name}><![CDATA[{value}]]></{name}>"
             for name, value in fields.items()]
    return "<xml>" + "".join(nodes) + "</xml>"


def xml_fields(xml: str) -> dict[str, str]:
    """The child elements of a WeChat XML document as a dict."""
    return {child.tag: child.text or "" for child in ElementTree.fromstring(xml)}
