// Supervisor dashboard: polls the JSON API (not while the tab is hidden), draws with Apache ECharts, renders
// text with textContent only.
"use strict";

const POLL_MS = 10000;
const filters = { from: "", to: "", channel: "" };
const charts = {};
let shown = "";
let latest = 0;

function percent(rate) {
  return `${(rate * 100).toFixed(1)}%`;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const whole = Math.round(seconds);
  return whole < 60 ? `${whole} 秒` : `${Math.floor(whole / 60)} 分 ${whole % 60} 秒`;
}

function score(value) {
  return value === null || value === undefined ? "–" : value.toFixed(2);
}

function query() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

async function load() {
  const reply = await fetch(`/api/ops/dashboard?${query()}`, { credentials: "same-origin" });
  if (reply.status === 401) {
    location.href = "/login";
    return null;
  }
  const body = await reply.json().catch(() => ({}));
  if (!reply.ok) throw new Error(body.error || `请求失败（${reply.status}）`);
  return body;
}

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: "canvas" });
  return charts[id];
}

function drawDays(days) {
  chart("chart-days").setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 36, bottom: 28 },
    xAxis: { type: "category", data: days.map((day) => day.date.slice(5)) },
    yAxis: [
      { type: "value", name: "会话", minInterval: 1 },
      { type: "value", name: "比率", min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    ],
    series: [
      { name: "会话数", type: "bar", data: days.map((day) => day.conversations) },
      ...[["机器人独立解决率", "containment_rate"], ["转人工率", "handoff_rate"], ["无答案率", "no_answer_rate"],
        ["澄清率", "clarify_rate"]].map(([name, key]) => ({
        name, type: "line", yAxisIndex: 1, data: days.map((day) => day[key]),
      })),
    ],
  }, true);
}

function drawChannels(byChannel) {
  const names = Object.keys(byChannel);
  chart("chart-channels").setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: names },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "会话数", type: "bar", data: names.map((name) => byChannel[name].conversations) },
      { name: "人工会话", type: "bar", data: names.map((name) => byChannel[name].tickets) },
    ],
  }, true);
}

function drawCsat(distribution) {
  chart("chart-csat").setOption({
    animation: false,
    tooltip: { trigger: "item" },
    legend: { top: 0 },
    series: [{
      name: "满意度", type: "pie", radius: ["35%", "65%"], top: 24,
      data: Object.entries(distribution).map(([stars, count]) => ({ name: `${stars} 分`, value: count })),
    }],
  }, true);
}

function drawEntries(entries) {
  const shown = entries.slice().reverse();
  chart("chart-entries").setOption({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 220, right: 24, top: 8, bottom: 24 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: shown.map((entry) => entry.question),
      axisLabel: { width: 200, overflow: "truncate" } },
    series: [{ name: "命中次数", type: "bar", data: shown.map((entry) => entry.hits) }],
  }, true);
}

function renderKpis(data) {
  $("kpi-conversations").textContent = data.conversations;
  $("kpi-containment").textContent = percent(data.containment_rate);
  $("kpi-handoff").textContent = percent(data.handoff_rate);
  $("kpi-no-answer").textContent = percent(data.no_answer_rate);
  $("kpi-clarify").textContent = percent(data.clarify_rate);
  $("kpi-csat").textContent = score(data.csat_avg);
  $("kpi-first-response").textContent = duration(data.first_response_s);
  $("kpi-handling").textContent = duration(data.handling_s);
}

function renderChannels(channels, chosen) {
  const select = $("channel");
  const names = chosen && !channels.includes(chosen) ? [...channels, chosen] : channels;
  if (select.dataset.names === names.join("\n")) return;
  select.dataset.names = names.join("\n");
  const all = el("option", null, "全部渠道");
  all.value = "";
  const current = select.value;
  select.replaceChildren(all, ...names.map((name) => {
    const option = el("option", null, name);
    option.value = name;
    return option;
  }));
  select.value = current;
}

function renderTables(data) {
  $("agents").replaceChildren(...data.agents.map((agent) => {
    const row = el("tr");
    for (const cell of [agent.name, agent.tickets, duration(agent.first_response_s), duration(agent.handling_s),
      score(agent.csat_avg)]) row.append(el("td", null, cell));
    return row;
  }));
  $("cold-count").textContent = data.cold_entries.length;
  $("cold").replaceChildren(...data.cold_entries.map((entry) => {
    const item = el("li");
    item.append(el("span", "id", entry.id), el("span", null, entry.question));
    return item;
  }));
}

function render(data) {
  filters.from = data.period.from;
  filters.to = data.period.to;
  const applied = `${data.period.from}|${data.period.to}|${data.channel || ""}`;
  renderChannels(data.channels, data.channel);
  if (applied !== shown) {  // the filters just applied; later polls leave what the supervisor is editing alone
    shown = applied;
    $("from").value = data.period.from;
    $("to").value = data.period.to;
    $("channel").value = data.channel || "";
  }
  renderKpis(data);
  drawDays(data.by_day);
  drawChannels(data.by_channel);
  drawCsat(data.csat_distribution);
  drawEntries(data.top_entries);
  renderTables(data);
  $("csv").href = `/api/ops/dashboard.csv?${query()}`;
  $("updated").textContent = `更新于 ${new Date().toLocaleTimeString("zh-CN", { hour12: false })}`;
}

async function refresh() {
  const request = ++latest;
  try {
    const data = await load();
    if (request !== latest) return;  // a newer request (filters just changed) is under way
    if (data) render(data);
    $("connection").textContent = "";
    notify("");
  } catch (error) {
    $("connection").textContent = "连接中断，正在重试…";
    notify(error.message);
  }
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  filters.from = $("from").value;
  filters.to = $("to").value;
  filters.channel = $("channel").value;
  history.replaceState(null, "", `/ops?${query()}`);
  refresh();
});

window.addEventListener("resize", () => Object.values(charts).forEach((drawn) => drawn.resize()));

const initial = new URLSearchParams(location.search);
for (const key of Object.keys(filters)) filters[key] = initial.get(key) || "";
refresh();
setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
