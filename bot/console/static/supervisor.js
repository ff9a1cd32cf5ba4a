// Supervisor page: live queues and agents' open tickets (reassign when overdue), the 质检 review queue.
// Every text is rendered with textContent (never as HTML).
"use strict";

const LIVE_MS = 2000;
const REVIEWS_MS = 5000;
const state = { me: null, selected: null, agents: [] };

function formatTime(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleTimeString("zh-CN", { hour12: false }) : "";
}

function ticketHead(ticket) {
  const head = el("div", "ticket-head");
  head.append(el("strong", null, `#${ticket.id}`), el("span", `badge p${ticket.priority}`, ticket.reason_label));
  if (ticket.kind === "message") head.append(el("span", "badge message", "留言"));
  return head;
}

function reassignControls(ticket, owner) {
  const box = el("div", "reassign");
  const target = el("select");
  target.setAttribute("aria-label", "改派给");
  const placeholder = el("option", null, "改派给…");
  placeholder.value = "";
  target.append(placeholder, ...state.agents.filter((agent) => agent.id !== owner).map((agent) => {
    const option = el("option", null, `${agent.name}${agent.online ? "（在线）" : "（离线）"}`);
    option.value = agent.id;
    return option;
  }));
  const button = el("button", "danger", "改派");
  button.type = "button";
  button.addEventListener("click", async () => {
    const agentId = Number(target.value);
    if (!agentId) return notify("请选择要改派给的客服");
    try {
      await api(`/api/supervisor/tickets/${ticket.id}/reassign`,
        { method: "POST", body: JSON.stringify({ agent_id: agentId }) });
      notify("");
    } catch (error) {
      notify(error.message);
    }
    await refreshLive();
  });
  box.append(target, button);
  return box;
}

function watchedItem(ticket, owner) {
  const item = el("li", "ticket" + (ticket.overdue ? " overdue" : ""));
  item.dataset.ticket = ticket.id;
  item.append(ticketHead(ticket), el("div", "ticket-meta", `${ticket.status_label} · ${ticket.channel}`),
    el("div", "silence", `客服已 ${ticket.silent_seconds} 秒未回复`));
  if (ticket.overdue) item.append(reassignControls(ticket, owner));
  return item;
}

function renderLive(data) {
  state.agents = data.agents;
  $("overdue-rule").textContent = `（超过 ${data.overdue_after} 秒未回复可改派）`;
  $("live-queue-count").textContent = data.queue.length;
  $("live-queue").replaceChildren(...data.queue.map((ticket) => {
    const item = el("li", "ticket");
    item.dataset.ticket = ticket.id;
    const position = ticket.position ? ` · 第 ${ticket.position} 位` : "";
    item.append(ticketHead(ticket), el("div", "ticket-meta", `${ticket.channel}${position}`));
    return item;
  }));
  // Keep the controls of a card whose select is in use, so that polling does not undo a choice.
  const busy = document.activeElement && document.activeElement.closest(".agent-card");
  $("live-agents").replaceChildren(...data.agents.map((agent) => {
    const previous = busy && busy.dataset.agent === String(agent.id) ? busy : null;
    if (previous) return previous;
    const card = el("div", "agent-card");
    card.dataset.agent = agent.id;
    const title = el("h3", null, agent.name);
    title.append(el("span", agent.online ? "online" : "offline", agent.online ? "在线" : "离线"),
      el("span", "count", `${agent.tickets.length} 个会话`));
    const list = el("ul", "tickets");
    list.append(...agent.tickets.map((ticket) => watchedItem(ticket, agent.id)));
    card.append(title, list);
    return card;
  }));
}

async function refreshLive() {
  try {
    renderLive(await api("/api/supervisor/live"));
    $("connection").textContent = "";
  } catch (error) {
    $("connection").textContent = `连接异常：${error.message}`;
  }
}

function reviewQuery() {
  const reviewed = document.querySelector("input[name=review-state]:checked").value;
  return `/api/quality/reviews?reviewed=${reviewed}&all=${$("review-all").checked ? 1 : 0}`;
}

function reviewItem(review) {
  const item = el("li", "ticket" + (state.selected === review.ticket_id ? " selected" : ""));
  item.dataset.ticket = review.ticket_id;
  const head = el("div", "ticket-head");
  head.append(el("strong", null, `#${review.ticket_id}`),
    el("span", "score" + (review.score < 80 ? " low" : ""), `${review.score} 分`),
    el("span", null, review.agent || ""));
  const labels = [...new Set(review.flags.map((flag) => flag.label))].join("、") || "无扣分";
  item.append(head, el("div", "ticket-meta", `${review.closed_at || ""} · ${labels}`));
  if (review.reviewed_at) item.append(el("div", "ticket-preview", `${review.reviewer} 已复核：${review.note || "无意见"}`));
  item.addEventListener("click", () => openReview(review.ticket_id));
  return item;
}

async function refreshReviews() {
  try {
    const reviews = await api(reviewQuery());
    $("reviews").replaceChildren(...(reviews.length ? reviews.map(reviewItem) : [el("li", "empty", "没有需要复核的会话")]));
    const pending = document.querySelector("input[name=review-state]:checked").value === "0";
    if (pending) $("review-count").textContent = reviews.length;
  } catch (error) {
    $("connection").textContent = `连接异常：${error.message}`;
  }
}

function renderReview(review) {
  $("review-title").textContent = `#${review.ticket_id} ${review.agent || ""} · ${review.score} 分`;
  $("review-other-flags").replaceChildren(...review.other_flags.map(
    (flag) => el("li", "flag", `${flag.label}：${flag.detail}（-${flag.deduction}）`)));
  if (review.error) notify(`会话记录暂时无法读取：${review.error}`);
  $("review-lines").replaceChildren(...review.lines.map((line) => {
    const item = el("li", `line ${line.role}` + (line.flags.length ? " flagged" : ""));
    const who = { customer: "客户", bot: "机器人", agent: `客服 ${line.agent || ""}` }[line.role];
    item.append(el("span", "who", `${who} ${formatTime(line.time)}`), el("div", "bubble", line.text));
    for (const flag of line.flags) item.append(el("span", "flag-note", `${flag.label}：${flag.detail}（-${flag.deduction}）`));
    return item;
  }));
  $("review-form").hidden = false;
  $("review-note").value = review.note || "";
  $("review-done").textContent = review.reviewed_at ? "更新复核意见" : "标记已复核";
}

async function openReview(ticketId) {
  state.selected = ticketId;
  notify("");
  try {
    renderReview(await api(`/api/quality/reviews/${ticketId}`));
  } catch (error) {
    notify(error.message);
  }
  await refreshReviews();
}

function showPanel(tab) {
  for (const other of document.querySelectorAll(".tab")) {
    other.classList.toggle("active", other === tab);
    $(other.dataset.panel).hidden = other !== tab;
  }
}

function bind() {
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showPanel(tab));
  for (const input of document.querySelectorAll("input[name=review-state], #review-all")) {
    input.addEventListener("change", refreshReviews);
  }
  $("review-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!state.selected) return;
    try {
      await api(`/api/quality/reviews/${state.selected}/reviewed`,
        { method: "POST", body: JSON.stringify({ note: $("review-note").value }) });
      notify("已标记为已复核");
    } catch (error) {
      notify(error.message);
    }
    await refreshReviews();
  });
}

async function start() {
  state.me = await api("/api/me");
  session.csrf = state.me.csrf;
  $("me-name").textContent = state.me.name;
  bind();
  await Promise.all([refreshLive(), refreshReviews()]);
  setInterval(refreshLive, LIVE_MS);
  setInterval(refreshReviews, REVIEWS_MS);
}

start();
