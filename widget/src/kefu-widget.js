/*
 * kefu website chat widget. Embed with one tag:
 *   <script src="https://bot.example/webhooks/widget/kefu-widget.js" data-customer-token="..." async></script>
 * The script finds the server from its own src, loads the Socket.IO client and the stylesheet from there,
 * and builds a launcher button plus a chat panel. All message text is rendered with textContent.
 */
(function () {
  "use strict";

  if (window.KefuWidget && window.KefuWidget.version) {
    return;
  }

  var SCRIPT_NAME = "kefu-widget.js";
  var STORAGE_KEY = "kefu-widget:session";
  var TYPING_TIMEOUT_MS = 20000;
  var URL_PATTERN = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%]+/g;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;
  var TEXT = {
    title: "在线客服",
    subtitle: "智能客服小金 · 7×24 小时为您服务",
    botName: "智能客服小金",
    agentPrefix: "人工客服 ",
    placeholder: "请输入您的问题",
    send: "发送",
    open: "打开在线客服",
    close: "关闭在线客服",
    welcome: "您好，欢迎来到在线客服！您可以直接输入问题，或点击下方常见问题。",
    typing: "客服正在输入",
    connecting: "正在连接在线客服…",
    reconnecting: "网络连接已断开，正在重新连接…",
    queued: "正在为您转接人工客服，您前面还有 {n} 位",
    queuedNoPosition: "正在为您转接人工客服，请稍候",
    assigned: "客服 {agent} 为您服务",
    assignedNoName: "人工客服已接入，正在为您服务",
    ended: "人工服务已结束",
    leaveMessage: "当前人工客服繁忙，您可以直接留言，我们会尽快回复您",
    ratingThanks: "感谢您的评价！",
    ratingPrompt: "请为本次服务评分",
    footer: "请勿在对话中透露密码、验证码等敏感信息",
  };
  var SUGGESTIONS = ["查询账户余额", "信用卡丢了怎么办", "附近的营业网点", "转人工客服"];

  var scriptElement = document.currentScript || findScriptElement();
  var scriptUrl = new URL(scriptElement ? scriptElement.src : SCRIPT_NAME, window.location.href);
  var baseUrl = scriptUrl.href.split("?")[0].replace(/\/[^/]*$/, "");
  var basePath = scriptUrl.pathname.replace(/\/[^/]*$/, "");

  var state = {
    built: false,
    options: {},
    socket: null,
    sessionId: null,
    ready: false,
    pending: [],
    seenIds: {},
    handoff: null,
    typingTimer: null,
    elements: {},
  };

  function findScriptElement() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (scripts[i].src && scripts[i].src.split("?")[0].slice(-SCRIPT_NAME.length) === SCRIPT_NAME) {
        return scripts[i];
      }
    }
    return null;
  }

  /* ---------- small DOM helpers (never innerHTML) ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function svgIcon(pathData, className) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", className || "kefu-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", pathData);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  var ICON_CHAT =
    "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-4.5 3.6A.9.9 0 0 1 3 20.9V6a2 2 0 0 1 1-2zm3 6.5a1.5 1.5 0 1 0 " +
    "0-3 1.5 1.5 0 0 0 0 3zm5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z";
  var ICON_CLOSE =
    "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";
  var ICON_STAR = "M12 2.8l2.9 5.9 6.5.9-4.7 4.6 1.1 6.5L12 17.6l-5.8 3.1 1.1-6.5-4.7-4.6 6.5-.9z";

  /* Text with line breaks kept (CSS pre-wrap) and http(s) URLs turned into safe links. */
  function appendRichText(parent, text) {
    var lastIndex = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var url = match[0].replace(TRAILING_PUNCTUATION, "");
      if (!url) {
        continue;
      }
      parent.appendChild(document.createTextNode(text.slice(lastIndex, match.index)));
      var link = el("a", "kefu-link", url);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      parent.appendChild(link);
      lastIndex = match.index + url.length;
    }
    parent.appendChild(document.createTextNode(text.slice(lastIndex)));
  }

  /* ---------- session identity ---------- */

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  /* Who the token names (its `sub` claim), so a different customer on the same device gets a new session. */
  function customerKey(token) {
    if (!token) {
      return "";
    }
    try {
      var payload = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
      var claims = JSON.parse(window.atob(payload + "===".slice((payload.length + 3) % 4)));
      if (claims && claims.sub !== undefined) {
        return "customer:" + claims.sub;
      }
    } catch (error) {
      /* not a readable token: fall back to the token itself */
    }
    return "token:" + token;
  }

  function readStoredSession() {
    try {
      return JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function storeSession(sessionId) {
    try {
      window.localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ id: sessionId, customer: customerKey(state.options.customerToken) })
      );
    } catch (error) {
      /* storage unavailable (private mode): the session lasts as long as the page */
    }
  }

  function chooseSessionId() {
    var stored = readStoredSession();
    var key = customerKey(state.options.customerToken);
    if (stored && stored.id && (!stored.customer || stored.customer === key)) {
      return stored.id;
    }
    return randomId();
  }

  /* ---------- UI ---------- */

  function build() {
    var root = el("div", "kefu-widget");
    root.id = "kefu-widget";

    var launcher = el("button", "kefu-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-label", TEXT.open);
    launcher.appendChild(svgIcon(ICON_CHAT));
    launcher.appendChild(el("span", "kefu-launcher-label", TEXT.title));

    var panel = el("section", "kefu-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", TEXT.title);
    panel.hidden = true;

    var header = el("header", "kefu-header");
    var avatar = el("div", "kefu-avatar");
    avatar.appendChild(svgIcon(ICON_CHAT));
    var heading = el("div", "kefu-heading");
    heading.appendChild(el("h2", "kefu-title", state.options.title || TEXT.title));
    heading.appendChild(el("p", "kefu-subtitle", TEXT.subtitle));
    var closeButton = el("button", "kefu-close");
    closeButton.type = "button";
    closeButton.setAttribute("aria-label", TEXT.close);
    closeButton.appendChild(svgIcon(ICON_CLOSE));
    header.appendChild(avatar);
    header.appendChild(heading);
    header.appendChild(closeButton);

    var connection = el("div", "kefu-connection", TEXT.connecting);
    var status = el("div", "kefu-status");
    status.setAttribute("role", "status");
    status.hidden = true;

    var messages = el("div", "kefu-messages");
    messages.setAttribute("role", "log");
    messages.setAttribute("aria-live", "polite");

    var typing = el("div", "kefu-typing");
    typing.setAttribute("aria-label", TEXT.typing);
    typing.hidden = true;
    typing.appendChild(el("span", "kefu-dot"));
    typing.appendChild(el("span", "kefu-dot"));
    typing.appendChild(el("span", "kefu-dot"));

    var form = el("form", "kefu-composer");
    var input = el("textarea", "kefu-input");
    input.rows = 1;
    input.placeholder = TEXT.placeholder;
    input.setAttribute("aria-label", TEXT.placeholder);
    var sendButton = el("button", "kefu-send", TEXT.send);
    sendButton.type = "submit";
    form.appendChild(input);
    form.appendChild(sendButton);

    panel.appendChild(header);
    panel.appendChild(connection);
    panel.appendChild(status);
    panel.appendChild(messages);
    panel.appendChild(typing);
    panel.appendChild(form);
    panel.appendChild(el("p", "kefu-footer", TEXT.footer));
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    launcher.addEventListener("click", function () {
      setOpen(panel.hidden);
    });
    closeButton.addEventListener("click", function () {
      setOpen(false);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitInput();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submitInput();
      }
    });

    state.elements = {
      root: root,
      launcher: launcher,
      panel: panel,
      connection: connection,
      status: status,
      messages: messages,
      typing: typing,
      input: input,
    };
    renderWelcome();
  }

  function setOpen(open) {
    var e = state.elements;
    e.panel.hidden = !open;
    e.root.classList.toggle("kefu-open", open);
    e.launcher.setAttribute("aria-label", open ? TEXT.close : TEXT.open);
    if (open) {
      scrollToBottom();
      e.input.focus();
    }
  }

  function scrollToBottom() {
    var box = state.elements.messages;
    box.scrollTop = box.scrollHeight;
  }

  function renderWelcome() {
    var card = el("div", "kefu-welcome");
    card.appendChild(el("p", "kefu-welcome-text", TEXT.welcome));
    var chips = el("div", "kefu-suggestions");
    SUGGESTIONS.forEach(function (suggestion) {
      var chip = el("button", "kefu-chip", suggestion);
      chip.type = "button";
      chip.addEventListener("click", function () {
        sendUserMessage(suggestion, suggestion);
      });
      chips.appendChild(chip);
    });
    card.appendChild(chips);
    state.elements.messages.appendChild(card);
  }

  function clearMessages() {
    var box = state.elements.messages;
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    state.seenIds = {};
    state.handoff = null;
    state.elements.status.hidden = true;
    renderWelcome();
  }

  function formatTime(timestamp) {
    var date = timestamp ? new Date(timestamp * 1000) : new Date();
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function addRow(kind, label, timestamp) {
    var row = el("div", "kefu-row kefu-row--" + kind);
    if (label) {
      row.appendChild(el("div", "kefu-sender", label));
    }
    var bubble = el("div", "kefu-bubble");
    row.appendChild(bubble);
    row.appendChild(el("div", "kefu-time", formatTime(timestamp)));
    state.elements.messages.appendChild(row);
    return { row: row, bubble: bubble };
  }

  function renderUserMessage(text, timestamp) {
    appendRichText(addRow("user", null, timestamp).bubble, text);
    scrollToBottom();
  }

  function ratingValue(payload) {
    var match = /"rating"\s*:\s*"?(\d)"?/.exec(payload || "");
    return match ? Number(match[1]) : null;
  }

  function renderRating(parent, buttons, answered) {
    var options = buttons
      .map(function (button) {
        return { button: button, value: ratingValue(button.payload) };
      })
      .filter(function (option) {
        return option.value !== null;
      })
      .sort(function (a, b) {
        return a.value - b.value;
      });
    if (!options.length) {
      return false;
    }
    var box = el("div", "kefu-rating");
    box.appendChild(el("p", "kefu-rating-prompt", TEXT.ratingPrompt));
    var stars = el("div", "kefu-stars");
    var note = el("p", "kefu-rating-note");
    var starButtons = options.map(function (option) {
      var star = el("button", "kefu-star");
      star.type = "button";
      star.title = option.button.title;
      star.setAttribute("aria-label", option.button.title);
      star.setAttribute("data-rating", String(option.value));
      star.appendChild(svgIcon(ICON_STAR, "kefu-star-icon"));
      stars.appendChild(star);
      return star;
    });
    function finish(chosen) {
      starButtons.forEach(function (star, index) {
        star.disabled = true;
        star.classList.toggle("kefu-star--on", chosen !== null && options[index].value <= chosen.value);
      });
      box.classList.add("kefu-rating--done");
      note.textContent = TEXT.ratingThanks;
    }
    starButtons.forEach(function (star, index) {
      star.addEventListener("click", function () {
        finish(options[index]);
        sendUserMessage(options[index].button.payload, options[index].button.title);
      });
    });
    if (answered) {
      finish(null);
    }
    box.appendChild(stars);
    box.appendChild(note);
    parent.appendChild(box);
    return true;
  }

  function renderButtons(parent, buttons) {
    var group = el("div", "kefu-quick-replies");
    buttons.forEach(function (button) {
      var quickReply = el("button", "kefu-quick-reply", button.title);
      quickReply.type = "button";
      quickReply.addEventListener("click", function () {
        sendUserMessage(button.payload, button.title);
      });
      group.appendChild(quickReply);
    });
    parent.appendChild(group);
  }

  function renderBotMessage(message, answered) {
    if (message.message_id) {
      if (state.seenIds[message.message_id]) {
        return;
      }
      state.seenIds[message.message_id] = true;
    }
    var custom = message.custom || {};
    if (custom.handoff) {
      applyHandoff(custom.handoff);
    }
    var buttons = message.buttons || [];
    if (!message.text && !buttons.length) {
      return;
    }
    var isAgent = Boolean(message.agent);
    var label = isAgent ? TEXT.agentPrefix + message.agent : TEXT.botName;
    var parts = addRow(isAgent ? "agent" : "bot", label, message.timestamp);
    if (message.text) {
      appendRichText(parts.bubble, message.text);
    } else {
      parts.bubble.classList.add("kefu-bubble--empty");
    }
    if (buttons.length) {
      var isRating = custom.rating_request && renderRating(parts.row, buttons, answered);
      if (!isRating) {
        renderButtons(parts.row, buttons);
      }
    }
    scrollToBottom();
  }

  /* ---------- handoff status ---------- */

  function applyHandoff(handoff) {
    var status = state.elements.status;
    var text = null;
    if (handoff.status === "queued") {
      var position = handoff.position;
      var known = typeof position === "number" && position >= 0 && Math.floor(position) === position;
      text = known ? TEXT.queued.replace("{n}", String(position)) : TEXT.queuedNoPosition;
    } else if (handoff.status === "assigned") {
      text = handoff.agent ? TEXT.assigned.replace("{agent}", String(handoff.agent)) : TEXT.assignedNoName;
    } else if (handoff.status === "ended") {
      text = TEXT.ended;
    } else if (handoff.status === "message") {
      text = TEXT.leaveMessage;
    } else {
      return;
    }
    state.handoff = handoff.status;
    status.textContent = text;
    status.className = "kefu-status kefu-status--" + handoff.status;
    status.hidden = false;
    if (handoff.status === "queued" || handoff.status === "assigned") {
      hideTyping();
    }
  }

  function humanIsHandling() {
    return state.handoff === "queued" || state.handoff === "assigned";
  }

  /* ---------- typing indicator ---------- */

  function showTyping() {
    var typing = state.elements.typing;
    typing.hidden = false;
    scrollToBottom();
    window.clearTimeout(state.typingTimer);
    state.typingTimer = window.setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  function hideTyping() {
    window.clearTimeout(state.typingTimer);
    state.elements.typing.hidden = true;
  }

  /* ---------- sending ---------- */

  function submitInput() {
    var input = state.elements.input;
    var text = input.value.trim();
    if (!text) {
      input.value = "";
      return;
    }
    input.value = "";
    sendUserMessage(text, text);
  }

  function emitMessage(text) {
    var body = { message: text, session_id: state.sessionId, metadata: {} };
    if (state.options.customerToken) {
      body.metadata.customer_token = state.options.customerToken;
    }
    state.socket.emit("user_uttered", body);
  }

  /* `text` goes to the bot; `display` is what the customer's bubble shows (a button's title). */
  function sendUserMessage(text, display) {
    if (!text || !String(text).trim()) {
      return;
    }
    renderUserMessage(display);
    if (!humanIsHandling()) {
      showTyping();
    }
    if (state.ready) {
      emitMessage(text);
    } else {
      state.pending.push({ text: text, display: display });
    }
  }

  /* ---------- connection ---------- */

  function setConnection(text) {
    var connection = state.elements.connection;
    connection.textContent = text || "";
    connection.hidden = !text;
  }

  function onSessionConfirm(data) {
    var sessionId = data && data.session_id;
    if (!sessionId) {
      return;
    }
    state.sessionId = sessionId;
    storeSession(sessionId);
    clearMessages();
    var history = (data.history || []).slice();
    history.forEach(function (item, index) {
      if (item.sender === "user") {
        renderUserMessage(item.text, item.timestamp);
      } else {
        var answered = history.slice(index + 1).some(function (later) {
          return later.sender === "user";
        });
        renderBotMessage(item, answered);
      }
    });
    state.ready = true;
    setConnection(null);
    var pending = state.pending;
    state.pending = [];
    pending.forEach(function (message) {
      renderUserMessage(message.display);
      emitMessage(message.text);
    });
    if (!pending.length) {
      hideTyping();
    }
  }

  function connect() {
    state.sessionId = chooseSessionId();
    var socket = window.io(new URL(baseUrl).origin, {
      path: basePath + "/socket.io",
      transports: ["websocket", "polling"],
    });
    state.socket = socket;
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("disconnect", function () {
      state.ready = false;
      setConnection(TEXT.reconnecting);
    });
    socket.on("connect_error", function () {
      state.ready = false;
      setConnection(TEXT.reconnecting);
    });
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", function (message) {
      if (message && typeof message === "object") {
        hideTyping();
        renderBotMessage(message, false);
      }
    });
  }

  function loadResource(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        node.setAttribute(name, attributes[name]);
      });
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  function loadSocketIo() {
    if (typeof window.io === "function") {
      return Promise.resolve();
    }
    return loadResource("script", { src: baseUrl + "/socket.io.min.js" });
  }

  /* ---------- public API ---------- */

  /* A token for a different customer than before starts a new conversation (shared devices). */
  function switchCustomer(token) {
    var previous = customerKey(state.options.customerToken);
    state.options.customerToken = token;
    if (previous && previous !== customerKey(token) && state.socket) {
      state.ready = false;
      state.sessionId = randomId();
      state.socket.emit("session_request", { session_id: state.sessionId });
    }
  }

  function init(options) {
    options = options || {};
    if (state.built) {
      if (options.customerToken !== undefined) {
        switchCustomer(options.customerToken);
      }
      return;
    }
    state.built = true;
    state.options = options;
    var stylesheet = loadResource("link", { rel: "stylesheet", href: baseUrl + "/kefu-widget.css" });
    stylesheet
      .catch(function () {
        /* unstyled but usable */
      })
      .then(function () {
        build();
        if (options.open) {
          setOpen(true);
        }
        return loadSocketIo();
      })
      .then(connect)
      .catch(function () {
        setConnection("在线客服暂时无法连接，请稍后刷新页面重试");
      });
  }

  window.KefuWidget = {
    version: "1.0.0",
    init: init,
    open: function () {
      if (state.built && state.elements.panel) {
        setOpen(true);
      }
    },
    close: function () {
      if (state.built && state.elements.panel) {
        setOpen(false);
      }
    },
  };

  var dataset = (scriptElement && scriptElement.dataset) || {};
  if (dataset.autoInit !== "false") {
    var start = function () {
      init({
        customerToken: dataset.customerToken || undefined,
        title: dataset.title || undefined,
        open: dataset.open === "true",
      });
    };
    if (document.body) {
      start();
    } else {
      document.addEventListener("DOMContentLoaded", start);
    }
  }
})();
