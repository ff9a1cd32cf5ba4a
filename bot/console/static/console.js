// Agent console: polls the JSON API, renders every text with textContent (never as HTML).
"use strict";

const POLL_MS = 1500;
const state = { me: null, selected: null, detail: null, tickets: new Map(), agents: [], assistFor: null };
const ROLE_NAMES = { agent: "客服", supervisor: "主管", editor: "知识编辑", approver: "知识审核" };

function clientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function ticketItem(ticket) {
  const item = el("li", "ticket" + (state.selected === ticket.id ? " selected" : ""));
  item.dataset.ticket = ticket.id;
  const head = el("div", "ticket-head");
  head.append(el("strong", null, `#${ticket.id}`), el("span", `badge p${ticket.priority}`, ticket.reason_label));
  if (ticket.kind === "message") head.append(el("span", "badge message", "留言"));
  const meta = el("div", "ticket-meta",
    `${ticket.status_label} · ${ticket.channel}` + (ticket.position ? ` · 第 ${ticket.position} 位` : ""));
  const last = (ticket.summary.intents || []).slice(-1)[0];
  item.append(head, meta);
  if (ticket.left_message) item.append(el("div", "ticket-preview", ticket.left_message));
  else if (last) item.append(el("div", "ticket-preview", `最近意图：${last}`));
  item.addEventListener("click", () => select(ticket.id));
  return item;
}

function renderLists(data) {
  state.tickets.clear();
  for (const [key, list] of [["queue", data.queue], ["mine", data.mine]]) {
    const target = $(key);
    target.replaceChildren(...list.map(ticketItem));
    $(`${key}-count`).textContent = list.length;
    list.forEach((ticket) => state.tickets.set(ticket.id, ticket));
  }
  state.agents = data.agents;
  document.title = data.queue.length ? `（${data.queue.length} 位排队）客服工作台` : "客服工作台";
  const select = $("transfer-target");
  const chosen = select.value;
  const placeholder = el("option", null, "转给…");
  placeholder.value = "";
  select.replaceChildren(placeholder, ...data.agents.map((agent) => {
    const option = el("option", null, `${agent.name}${agent.online ? "（在线）" : "（离线）"}`);
    option.value = agent.id;
    return option;
  }));
  select.value = chosen;
}

function formatTime(seconds) {
  if (!seconds) return "";
  return new Date(seconds * 1000).toLocaleTimeString("zh-CN", { hour12: false });
}

function renderTranscript(detail) {
  const list = $("transcript");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const lines = detail.lines.map((line) => {
    const item = el("li", `line ${line.role}`);
    const who = { customer: "客户", bot: "机器人", agent: `客服 ${line.agent || ""}` }[line.role];
    item.append(el("span", "who", `${who} ${formatTime(line.time)}`), el("div", "bubble", line.text));
    return item;
  });
  for (const message of detail.undelivered) {
    const item = el("li", "line agent undelivered");
    const status = message.status === "failed" ? `发送失败（已尝试 ${message.attempts} 次）` : "发送中…";
    item.append(el("span", "who", status), el("div", "bubble", message.text));
    if (message.status === "failed") {
      const retry = el("button", "link", "重试");
      retry.addEventListener("click", () => act(`/api/messages/${message.id}/retry`));
      item.append(retry);
    }
    lines.push(item);
  }
  list.replaceChildren(...lines);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderSide(detail) {
  const customer = $("customer");
  if (detail.customer) {
    customer.replaceChildren(el("dt", null, "姓名"), el("dd", null, detail.customer.name),
      el("dt", null, "手机"), el("dd", null, detail.customer.phone), el("dt", null, "身份"), el("dd", null, "已验证"));
  } else {
    customer.replaceChildren(el("dt", null, "身份"), el("dd", null, "未验证（可请客户先完成身份验证）"));
  }
  const summary = $("summary");
  const slots = Object.entries(detail.summary.slots || {}).map(([k, v]) => `${k}=${v}`).join("，") || "无";
  summary.replaceChildren(el("dt", null, "原因"), el("dd", null, detail.reason_label),
    el("dt", null, "识别意图"), el("dd", null, (detail.summary.intents || []).join(" → ") || "无"),
    el("dt", null, "已填信息"), el("dd", null, slots));
  if (detail.left_message) summary.append(el("dt", null, "留言"), el("dd", null, detail.left_message));
}

function kbHitItem(hit) {
  const item = el("li", "kb-hit");
  const use = el("button", "link", "填入回复");
  use.type = "button";
  use.addEventListener("click", () => { $("reply-text").value = hit.answer; $("reply-text").focus(); });
  item.append(el("strong", null, hit.question), el("p", null, hit.answer), use);
  return item;
}

function renderHits(target, hits) {
  target.replaceChildren(...(hits.length ? hits.map(kbHitItem) : [el("li", "empty", "没有找到相关问答")]));
}

// Agent assist: the knowledge base's best answers for the customer's latest message, fetched once per message.
async function renderAssist(detail, mine) {
  const latest = mine ? detail.lines.filter((line) => line.role === "customer").pop() : null;
  $("assist").hidden = !latest;
  if (!latest) {
    state.assistFor = null;
    return;
  }
  const key = `${detail.id}:${latest.time}:${latest.text}`;
  if (state.assistFor === key) return;
  state.assistFor = key;
  $("assist-for").textContent = `客户：${latest.text}`;
  const hits = await api(`/api/kb?q=${encodeURIComponent(latest.text)}`);
  if (state.assistFor === key) renderHits($("assist-results"), hits.slice(0, 3));
}

function renderChat(detail) {
  const mine = detail.agent_id === state.me.id && ["assigned", "active"].includes(detail.status);
  $("chat-title").textContent = `#${detail.id} ${detail.reason_label} · ${detail.status_label}`;
  $("chat-actions").hidden = false;
  $("claim-button").hidden = detail.status !== "queued";
  for (const id of ["transfer-target", "transfer-button", "handback-button", "close-button"]) $(id).hidden = !mine;
  $("handback-button").hidden = !mine || detail.kind !== "live";
  $("reply-form").hidden = !mine;
  $("quick-replies").hidden = !mine;
  if (detail.error) notify(`会话记录暂时无法刷新：${detail.error}`);
  renderTranscript(detail);
  renderSide(detail);
  renderAssist(detail, mine).catch(() => { state.assistFor = null; });
}

async function refresh() {
  try {
    renderLists(await api("/api/state"));
    if (state.selected) {
      state.detail = await api(`/api/tickets/${state.selected}`);
      renderChat(state.detail);
    }
    $("connection").textContent = "";
  } catch (error) {
    if (state.selected && /无权|工单/.test(error.message)) {
      state.selected = null;
      notify(error.message);
    }
    $("connection").textContent = `连接异常：${error.message}`;
  }
}

async function select(ticketId) {
  state.selected = ticketId;
  notify("");
  await refresh();
}

async function act(path, body) {
  try {
    const init = { method: "POST" };
    if (body !== undefined) init.body = JSON.stringify(body);
    const result = await api(path, init);
    notify("");
    await refresh();
    return result;
  } catch (error) {
    notify(error.message);
    await refresh();
    return null;
  }
}

async function sendReply(text) {
  if (!text.trim() || !state.selected) return;
  const result = await act(`/api/tickets/${state.selected}/messages`, { text, client_id: clientId() });
  if (result && result.status === "failed") notify("消息已保存但发送失败，系统会自动重试，也可点「重试」。");
}

async function loadQuickReplies() {
  const replies = await api("/api/quick-replies");
  $("quick-replies").replaceChildren(...replies.map((reply) => {
    const button = el("button", "chip", reply.label);
    button.type = "button";
    button.title = reply.text;
    button.addEventListener("click", () => { $("reply-text").value = reply.text; $("reply-text").focus(); });
    return button;
  }));
}

function bind() {
  $("claim-button").addEventListener("click", () => act(`/api/tickets/${state.selected}/claim`));
  $("close-button").addEventListener("click", () => act(`/api/tickets/${state.selected}/close`));
  $("handback-button").addEventListener("click", () => act(`/api/tickets/${state.selected}/handback`));
  $("transfer-button").addEventListener("click", () => {
    const target = Number($("transfer-target").value);
    if (!target) return notify("请选择要转给的客服");
    return act(`/api/tickets/${state.selected}/transfer`, { agent_id: target });
  });
  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("reply-text").value;
    $("reply-text").value = "";
    await sendReply(text);
  });
  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });
  $("kb-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    renderHits($("kb-results"), await api(`/api/kb?q=${encodeURIComponent($("kb-query").value)}`));
  });
}

async function start() {
  state.me = await api("/api/me");
  session.csrf = state.me.csrf;
  $("me-name").textContent = state.me.name;
  $("ops-nav").hidden = state.me.role !== "supervisor";
  $("kb-nav").hidden = !["supervisor", "editor", "approver"].includes(state.me.role);
  if (!state.me.serves_tickets) {
    $("layout").hidden = true;
    $("role-notice").hidden = false;
    $("role-notice").textContent =
      `您的角色是「${ROLE_NAMES[state.me.role] || state.me.role}」，不处理客户会话，请进入「知识库管理」。`;
    return;
  }
  bind();
  await loadQuickReplies();
  await refresh();
  setInterval(refresh, POLL_MS);
}

start();
