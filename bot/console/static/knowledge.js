// Knowledge page: search and edit entries as drafts, the 命中测试, the approver's review queue, version history
// with diff and rollback, and the unanswered-question clusters. Every text is rendered with textContent.
"use strict";

const PENDING_MS = 5000;
const ROLE_NAMES = { agent: "客服", supervisor: "主管", editor: "知识编辑", approver: "知识审核" };
const DRAFTERS = ["editor", "supervisor"];
const MINERS = ["supervisor", "editor"];
const STATUS_NAMES = { draft: "草稿", pending: "待审核", rejected: "已驳回", published: "已发布" };
const ACTION_NAMES = { create: "新增", update: "修改", delete: "删除" };
const CHANGE_NAMES = { added: "新增", changed: "修改", removed: "删除" };
const OUTCOME_NAMES = { answer: "直接答复", clarify: "澄清追问", none: "无答案" };
const REASON_NAMES = { no_match: "无答案", clarify: "需澄清", rejected: "被否定", handoff: "转人工" };
const FIELDS = [
  ["question", "标准问题"], ["similar", "相似问题"], ["answer", "答案"], ["related", "关联问题"],
  ["category", "分类"], ["keywords", "关键词"], ["effective", "生效日期"], ["expires", "失效日期"],
];
const LIST_FIELDS = ["similar", "related", "keywords"];
const state = { me: null, draft: null, entryId: null, review: null, version: null };

function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

function stamp(iso) {
  return iso ? iso.replace("T", " ").slice(0, 19) : "";
}

function canDraft() {
  return DRAFTERS.includes(state.me.role);
}

function shown(value) {
  if (Array.isArray(value)) return value.length ? value.join("\n") : "—";
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

function formFields() {
  const fields = {};
  for (const [key] of FIELDS) {
    const value = $(`f-${key}`).value;
    fields[key] = LIST_FIELDS.includes(key) ? lines(value) : value.trim() || null;
  }
  fields.id = $("f-id").value.trim();
  fields.category = fields.category || "";
  return fields;
}

function fillForm(fields) {
  $("f-id").value = fields.id || "";
  for (const [key] of FIELDS) {
    const value = fields[key];
    $(`f-${key}`).value = Array.isArray(value) ? value.join("\n") : value || "";
  }
}

function listCell(className, items, others, mark) {
  const cell = el("td", `${className} list-cell`);
  if (!items.length) cell.textContent = "—";
  for (const item of items) cell.append(el("div", others.includes(item) ? "" : mark, item));
  return cell;
}

function diffTable(table, before, after) {
  const head = el("tr");
  head.append(el("th", null, "字段"), el("th", null, "修改前"), el("th", null, "修改后"));
  const rows = FIELDS.map(([key, label]) => {
    const old = before ? shown(before[key]) : "—";
    const now = after ? shown(after[key]) : "—";
    const row = el("tr", old === now ? "" : "changed");
    row.dataset.field = key;
    row.append(el("th", null, label));
    if (LIST_FIELDS.includes(key) && before && after) {
      row.append(listCell("before", before[key], after[key], "removed"), listCell("after", after[key], before[key], "added"));
    } else {
      row.append(el("td", "before", old), el("td", "after", now));
    }
    return row;
  });
  table.replaceChildren(head, ...rows);
}

function outcomeCell(side) {
  const cell = el("td", `outcome ${side.outcome}`);
  cell.dataset.outcome = side.outcome;
  cell.dataset.entry = side.entry_id || "";
  cell.append(el("span", "badge", OUTCOME_NAMES[side.outcome] || side.outcome));
  if (side.entry_id) cell.append(el("span", null, ` ${side.entry_id} ${side.entry_question || ""}`));
  return cell;
}

function renderHits(table, body, rows) {
  body.replaceChildren(...rows.map((row) => {
    const line = el("tr", row.changed ? "changed" : "");
    line.append(el("td", null, row.question), outcomeCell(row.today), outcomeCell(row.with_draft));
    return line;
  }));
  table.hidden = false;
}

async function runHitTest(change, questionsBox, table, body) {
  try {
    const reply = await api("/api/kb/hit-test", {
      method: "POST", body: JSON.stringify({ ...change, questions: lines($(questionsBox).value) }),
    });
    renderHits($(table), $(body), reply.results);
    notify("");
  } catch (error) {
    notify(error.message);
  }
}

// ---- entries and the editor ----

function resetEditor(title) {
  state.draft = null;
  state.entryId = null;
  fillForm({});
  $("f-id").readOnly = !canDraft();
  $("editor-title").textContent = title;
  $("draft-status").textContent = "";
  $("remove-entry").hidden = true;
  $("hit-table").hidden = true;
  setEditable(true);
}

function setEditable(editable) {
  $("save-draft").disabled = !editable;
  $("submit-draft").disabled = !editable;
}

function setDraft(draft) {
  state.draft = draft;
  const rejected = draft.status === "rejected" && draft.comment ? `（驳回意见：${draft.comment}）` : "";
  $("draft-status").textContent =
    `草稿 #${draft.id} · ${ACTION_NAMES[draft.action]} · 状态：${STATUS_NAMES[draft.status]}${rejected}`;
  $("draft-status").dataset.status = draft.status;
  setEditable(["draft", "rejected"].includes(draft.status) && draft.author === state.me.username);
}

async function searchEntries() {
  try {
    const found = await api(`/api/kb/entries?q=${encodeURIComponent($("entry-query").value.trim())}`);
    $("entries").replaceChildren(...(found.length ? found.map((entry) => {
      const item = el("li", "item" + (entry.id === state.entryId ? " selected" : ""));
      item.dataset.entry = entry.id;
      item.append(el("strong", null, entry.id), el("div", "item-meta", entry.question));
      item.addEventListener("click", () => openEntry(entry));
      return item;
    }) : [el("li", "empty", "没有找到知识")]));
  } catch (error) {
    notify(error.message);
  }
}

function openEntry(entry) {
  resetEditor(`修改：${entry.id}`);
  state.entryId = entry.id;
  fillForm(entry);
  $("f-id").readOnly = true;
  $("remove-entry").hidden = !canDraft();
  $("hit-questions").value = entry.question;
  for (const item of document.querySelectorAll("#entries .item")) {
    item.classList.toggle("selected", item.dataset.entry === entry.id);
  }
}

async function saveDraft() {
  const fields = formFields();
  const draft = state.draft;
  const mine = draft && draft.author === state.me.username && ["draft", "rejected"].includes(draft.status);
  const saved = mine
    ? await api(`/api/kb/drafts/${draft.id}`, { method: "PUT", body: JSON.stringify({ fields }) })
    : await api("/api/kb/drafts", { method: "POST", body: JSON.stringify({ fields }) });
  setDraft(saved);
  $("f-id").readOnly = true;
  return saved;
}

async function submitDraft() {
  const saved = await saveDraft();
  const submitted = await api(`/api/kb/drafts/${saved.id}/submit`, { method: "POST" });
  setDraft(submitted);
  await refreshPending();
  return submitted;
}

async function removeEntry() {
  if (!state.entryId) return;
  try {
    const draft = await api("/api/kb/drafts", { method: "POST", body: JSON.stringify({ remove: state.entryId }) });
    setDraft(await api(`/api/kb/drafts/${draft.id}/submit`, { method: "POST" }));
    notify(`已提交删除 ${state.entryId} 的申请，待审核人通过后生效`);
    await refreshPending();
  } catch (error) {
    notify(error.message);
  }
}

function openDraft(draft) {
  resetEditor(`${ACTION_NAMES[draft.action]}：${draft.entry_id}`);
  state.entryId = draft.current ? draft.entry_id : null;
  fillForm(draft.fields || draft.current || {});
  $("f-id").readOnly = true;
  setDraft(draft);
  showPanel($("tab-edit"));
}

// ---- review queue ----

function draftItem(draft, onClick, selected) {
  const item = el("li", "item" + (selected ? " selected" : ""));
  item.dataset.draft = draft.id;
  item.dataset.entry = draft.entry_id;
  const head = el("div", "item-head");
  head.append(el("strong", null, `#${draft.id}`), el("span", `badge ${draft.action}`, ACTION_NAMES[draft.action]),
    el("span", null, draft.entry_id));
  const question = (draft.fields || draft.current || {}).question || "";
  item.append(head, el("div", "item-meta", `${question} · ${draft.author} · ${stamp(draft.updated_at)}`));
  item.addEventListener("click", () => onClick(draft));
  return item;
}

async function refreshPending() {
  try {
    const pending = await api("/api/kb/drafts?status=pending");
    $("pending-count").textContent = pending.length;
    const selected = state.review && state.review.id;
    $("pending").replaceChildren(...(pending.length
      ? pending.map((draft) => draftItem(draft, selectReview, draft.id === selected))
      : [el("li", "empty", "没有待审核的修改")]));
  } catch (error) {
    notify(error.message);
  }
}

function testQuestionsOf(draft) {
  const before = draft.current ? [draft.current.question, ...draft.current.similar] : [];
  if (!draft.fields) return before.slice(0, 5);
  const added = [draft.fields.question, ...draft.fields.similar].filter((text) => !before.includes(text));
  return added.length ? added : [draft.fields.question];
}

function selectReview(draft) {
  state.review = draft;
  $("review-title").textContent = `#${draft.id} ${ACTION_NAMES[draft.action]} ${draft.entry_id}`;
  $("review-meta").textContent = `提交人：${draft.author} · ${stamp(draft.updated_at)}`;
  diffTable($("review-diff"), draft.current, draft.fields);
  $("review-hit").hidden = false;
  $("review-hit-table").hidden = true;
  $("review-hit-questions").value = testQuestionsOf(draft).join("\n");
  $("review-form").hidden = state.me.role !== "approver" || draft.author === state.me.username;
  $("review-comment").value = "";
  for (const item of document.querySelectorAll("#pending .item")) {
    item.classList.toggle("selected", item.dataset.draft === String(draft.id));
  }
}

function clearReview() {
  state.review = null;
  $("review-title").textContent = "请选择左侧的修改";
  $("review-meta").textContent = "";
  $("review-diff").replaceChildren();
  $("review-hit").hidden = true;
  $("review-form").hidden = true;
}

async function decide(verdict) {
  const draft = state.review;
  if (!draft) return;
  try {
    const reply = await api(`/api/kb/drafts/${draft.id}/${verdict}`, {
      method: "POST", body: JSON.stringify({ comment: $("review-comment").value }),
    });
    notify(verdict === "approve"
      ? `已通过并发布为版本 ${reply.version.version}，机器人数秒内即按新内容回答`
      : `已驳回草稿 #${draft.id}`);
    clearReview();
  } catch (error) {
    notify(error.message);
  }
  await refreshPending();
}

// ---- all drafts ----

async function refreshDrafts() {
  try {
    const drafts = await api("/api/kb/drafts");
    $("drafts").replaceChildren(...drafts.map((draft) => {
      const row = el("tr");
      row.dataset.draft = draft.id;
      const reviewer = draft.reviewer ? `${draft.reviewer}${draft.comment ? `：${draft.comment}` : ""}` : "";
      row.append(el("td", null, `#${draft.id}`), el("td", null, draft.entry_id),
        el("td", null, ACTION_NAMES[draft.action]), el("td", `status ${draft.status}`, STATUS_NAMES[draft.status]),
        el("td", null, draft.author), el("td", null, reviewer), el("td", null, stamp(draft.updated_at)));
      const actions = el("td");
      if (draft.author === state.me.username && draft.fields && ["draft", "rejected"].includes(draft.status)) {
        const edit = el("button", null, "继续编辑");
        edit.type = "button";
        edit.addEventListener("click", () => openDraft(draft));
        actions.append(edit);
      }
      row.append(actions);
      return row;
    }));
  } catch (error) {
    notify(error.message);
  }
}

// ---- versions ----

async function refreshVersions() {
  try {
    const versions = await api("/api/kb/versions");
    $("versions").replaceChildren(...versions.map((version, index) => {
      const item = el("li", "item" + (state.version === version.version ? " selected" : ""));
      item.dataset.version = version.version;
      const head = el("div", "item-head");
      head.append(el("strong", null, `版本 ${version.version}`), el("span", null, version.summary));
      const approved = version.approved_by ? ` · 审核 ${version.approved_by}` : "";
      item.append(head, el("div", "item-meta", `${stamp(version.published_at)} · ${version.published_by}${approved}`));
      item.addEventListener("click", () => openVersion(version.version, index === 0));
      return item;
    }));
  } catch (error) {
    notify(error.message);
  }
}

async function openVersion(number, newest) {
  try {
    const version = await api(`/api/kb/versions/${number}`);
    state.version = number;
    $("version-title").textContent = `版本 ${version.version}：${version.summary}`;
    const rollback = version.rollback_of ? ` · 回滚自版本 ${version.rollback_of}` : "";
    $("version-meta").textContent = `${stamp(version.published_at)} · 发布 ${version.published_by}` +
      `${version.approved_by ? ` · 审核 ${version.approved_by}` : ""}${rollback}`;
    $("version-changes").replaceChildren(...version.changes.map((change) => {
      const box = el("div", "change");
      box.dataset.entry = change.entry_id;
      const table = el("table", "grid diff");
      diffTable(table, change.before, change.after);
      box.append(el("h3", null, `${change.entry_id}（${CHANGE_NAMES[change.change]}）`), table);
      return box;
    }));
    $("rollback").hidden = state.me.role !== "approver" || newest;
    $("rollback").textContent = `回滚到版本 ${number}`;
    for (const item of document.querySelectorAll("#versions .item")) {
      item.classList.toggle("selected", item.dataset.version === String(number));
    }
  } catch (error) {
    notify(error.message);
  }
}

async function rollback() {
  if (!state.version) return;
  try {
    const published = await api(`/api/kb/versions/${state.version}/rollback`, { method: "POST" });
    notify(`已回滚到版本 ${state.version}，发布为版本 ${published.version}`);
    await refreshVersions();
    await openVersion(published.version, true);
  } catch (error) {
    notify(error.message);
  }
}

// ---- unanswered questions ----

function clusterItem(cluster) {
  const item = el("li", "cluster");
  item.dataset.size = cluster.size;
  const reasons = Object.entries(cluster.reasons).map(([reason, count]) => `${REASON_NAMES[reason] || reason} ${count}`);
  const head = el("div", "item-head");
  head.append(el("strong", null, `${cluster.size} 条`), el("span", "item-meta", reasons.join("、")),
    el("span", "item-meta", `${stamp(cluster.first_seen)} ~ ${stamp(cluster.last_seen)}`));
  const trend = el("div", "trend", Object.entries(cluster.by_day).map(([day, count]) => `${day.slice(5)}：${count}`)
    .join("  "));
  const examples = el("ul", "examples");
  examples.append(...cluster.examples.map((text) => el("li", null, text)));
  const suggested = cluster.suggested_entry;
  const target = el("div", "target");
  const entry = el("input");
  entry.className = "target-entry";
  entry.setAttribute("aria-label", "加入的知识编号");
  entry.placeholder = "知识编号";
  entry.value = suggested ? suggested.id : "";
  item.dataset.suggested = entry.value;
  const label = suggested
    ? `建议加入：${suggested.id} ${suggested.question}（相似度 ${suggested.confidence}）`
    : "知识库中没有接近的问答";
  const add = el("button", "danger add-similar", "加为相似问");
  add.type = "button";
  add.addEventListener("click", () => addSimilar(item, entry.value.trim(), cluster.examples));
  const create = el("button", "new-from-cluster", "新建知识");
  create.type = "button";
  create.addEventListener("click", () => draftFromCluster(cluster));
  target.append(el("span", "item-meta", label), entry, add, create);
  const result = el("div", "cluster-result");
  item.append(head, trend, examples, target, result);
  return item;
}

async function refreshUnanswered() {
  const days = $("unanswered-days").value;
  $("unanswered-summary").textContent = "正在分析……";
  try {
    const reply = await api(`/api/kb/unanswered${days ? `?days=${days}` : ""}`);
    $("clusters").replaceChildren(...(reply.clusters.length ? reply.clusters.map(clusterItem)
      : [el("li", "empty", "没有未解决的客户问题")]));
    const total = reply.clusters.reduce((sum, cluster) => sum + cluster.size, 0);
    $("unanswered-summary").textContent = `${reply.clusters.length} 类，共 ${total} 条`;
  } catch (error) {
    $("unanswered-summary").textContent = "";
    notify(error.message);
  }
}

async function addSimilar(item, entryId, questions) {
  if (!entryId) return notify("请填写要加入的知识编号");
  try {
    const draft = await api("/api/kb/unanswered/add-similar", {
      method: "POST", body: JSON.stringify({ entry_id: entryId, questions }),
    });
    item.querySelector(".cluster-result").textContent =
      `已生成草稿 #${draft.id}（加入 ${entryId}）并提交审核，审核通过后生效`;
    item.classList.add("done");
    item.dataset.draft = draft.id;
    notify("");
    await refreshPending();
  } catch (error) {
    notify(error.message);
  }
}

function draftFromCluster(cluster) {
  resetEditor("新建知识（来自未解决问题）");
  const [first, ...rest] = cluster.examples;
  fillForm({ question: first, similar: rest });
  $("hit-questions").value = cluster.examples.join("\n");
  showPanel($("tab-edit"));
  $("f-id").focus();
}

// ---- page ----

const LOADERS = {
  "review-panel": refreshPending, "drafts-panel": refreshDrafts, "versions-panel": refreshVersions,
  "unanswered-panel": refreshUnanswered,
};

function showPanel(tab) {
  for (const other of document.querySelectorAll(".tab")) {
    other.classList.toggle("active", other === tab);
    $(other.dataset.panel).hidden = other !== tab;
  }
  const load = LOADERS[tab.dataset.panel];
  if (load) load();
}

async function guarded(action) {
  try {
    await action();
  } catch (error) {
    notify(error.message);
  }
}

function bind() {
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showPanel(tab));
  $("entry-search").addEventListener("submit", (event) => {
    event.preventDefault();
    searchEntries();
  });
  $("new-entry").addEventListener("click", () => resetEditor("新建知识"));
  $("save-draft").addEventListener("click", () => guarded(async () => {
    const saved = await saveDraft();
    notify(`草稿 #${saved.id} 已保存`);
  }));
  $("submit-draft").addEventListener("click", () => guarded(async () => {
    const submitted = await submitDraft();
    notify(`草稿 #${submitted.id} 已提交审核`);
  }));
  $("remove-entry").addEventListener("click", removeEntry);
  $("run-hit-test").addEventListener("click", () => guarded(async () => {
    await runHitTest({ fields: formFields() }, "hit-questions", "hit-table", "hit-results");
  }));
  $("review-run-hit-test").addEventListener("click", () => {
    const draft = state.review;
    if (!draft) return;
    const change = draft.fields ? { fields: draft.fields } : { fields: null, removed: draft.entry_id };
    runHitTest(change, "review-hit-questions", "review-hit-table", "review-hit-results");
  });
  $("approve").addEventListener("click", () => decide("approve"));
  $("reject").addEventListener("click", () => decide("reject"));
  $("rollback").addEventListener("click", rollback);
  $("unanswered-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshUnanswered();
  });
}

async function start() {
  state.me = await api("/api/me");
  session.csrf = state.me.csrf;
  $("me-name").textContent = state.me.name;
  $("me-role").textContent = `（${ROLE_NAMES[state.me.role] || state.me.role}）`;
  $("ops-link").hidden = state.me.role !== "supervisor";
  $("tab-unanswered").hidden = !MINERS.includes(state.me.role);
  for (const node of document.querySelectorAll(".drafter")) node.hidden = !canDraft();
  if (!canDraft()) {
    for (const node of document.querySelectorAll("#editor input, #editor textarea")) node.readOnly = true;
    $("editor-title").textContent = "知识详情";
  }
  bind();
  await Promise.all([searchEntries(), refreshPending()]);
  setInterval(refreshPending, PENDING_MS);
}

start();
