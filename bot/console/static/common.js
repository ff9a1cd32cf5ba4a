// Shared by the console's pages: the element helper (text set with textContent, never as HTML), the JSON API
// call (CSRF token on changes, back to the login page when the session ended) and the notice line.
"use strict";

const $ = (id) => document.getElementById(id);
const session = { csrf: "" };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

async function api(path, options = {}) {
  const init = { credentials: "same-origin", ...options, headers: { ...(options.headers || {}) } };
  if (init.method && init.method !== "GET") {
    init.headers["X-CSRF-Token"] = session.csrf;
    if (init.body !== undefined) init.headers["Content-Type"] = "application/json";
  }
  const reply = await fetch(path, init);
  if (reply.status === 401) {
    location.href = "/login";
    throw new Error("请先登录");
  }
  const body = await reply.json().catch(() => ({}));
  if (!reply.ok) throw new Error(body.error || `请求失败（${reply.status}）`);
  return body;
}

function notify(text) {
  const notice = $("notice");
  notice.textContent = text || "";
  notice.hidden = !text;
}
