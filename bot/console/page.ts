/**
 * The local chat console page: one self-contained HTML document that plays a
 * messenger (DingTalk/Feishu/WeCom) over the console JSON API, so the product
 * can be tried without any platform.
 *
 * Styles and script are inline on purpose: no build step, one request, and
 * nothing fetched from outside loopback. Everything the page shows is text
 * from the server, never markup: the DOM is built with textContent only.
 *
 * The `data-testid` attributes are a stable contract for the browser test
 * (test/console-browser.test.ts); rename them there too.
 */

const STYLE = /* css */ `
  :root { --bg:#f3f4f6; --panel:#fff; --line:#e5e7eb; --text:#1f2937; --muted:#6b7280; --me:#95ec69;
          --info:#3b82f6; --success:#16a34a; --warning:#f59e0b; --danger:#dc2626; }
  * { box-sizing:border-box; }
  html, body { height:100%; }
  body { margin:0; display:flex; flex-direction:column; height:100vh; height:100dvh;
         font:14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color:var(--text); background:var(--bg); }
  header { display:flex; flex-wrap:wrap; gap:8px 12px; align-items:center; padding:8px 12px; background:#111827; color:#fff; }
  header h1 { font-size:16px; margin:0; flex:1; white-space:nowrap; }
  header select { max-width:70vw; padding:4px; font-size:14px; }
  main { flex:1; display:flex; min-height:0; }
  nav { width:230px; flex:none; border-right:1px solid var(--line); background:var(--panel); overflow-y:auto; }
  nav button { display:block; width:100%; text-align:left; padding:10px 12px; border:0; border-bottom:1px solid var(--line); background:none; cursor:pointer; font-size:14px; }
  nav button.active { background:#e0ecff; font-weight:600; }
  section { flex:1; display:flex; flex-direction:column; min-width:0; }
  #messages { flex:1; overflow-y:auto; padding:12px; }
  .empty { color:var(--muted); text-align:center; margin-top:40px; }
  .msg { display:flex; flex-direction:column; align-items:flex-start; margin:10px 0; max-width:min(600px, 94%); }
  .msg.mine { margin-left:auto; align-items:flex-end; }
  .who { font-size:12px; color:var(--muted); margin:0 4px 2px; }
  .bubble { background:var(--panel); border-radius:8px; padding:8px 10px; white-space:pre-wrap; word-break:break-word; }
  .mine .bubble { background:var(--me); }
  .card { width:100%; background:var(--panel); border-radius:8px; border-left:4px solid var(--info); padding:10px 12px; box-shadow:0 1px 2px #0002; }
  .card.success { border-left-color:var(--success); } .card.warning { border-left-color:var(--warning); } .card.danger { border-left-color:var(--danger); }
  .card h3 { margin:0; font-size:15px; } .card .sub { color:var(--muted); font-size:12px; }
  .fields { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:8px 0; }
  .fields div { display:contents; } .fields dt { color:var(--muted); } .fields dd { margin:0; word-break:break-word; }
  .tablewrap { overflow-x:auto; }
  table { border-collapse:collapse; width:100%; margin:6px 0; font-size:13px; }
  th, td { border-bottom:1px solid var(--line); padding:3px 6px; text-align:left; white-space:nowrap; }
  th { color:var(--muted); font-weight:500; }
  ul.notes { margin:6px 0; padding-left:18px; color:#374151; font-size:12px; }
  .buttons { display:flex; flex-wrap:wrap; gap:6px; margin-top:8px; }
  .buttons button { padding:5px 14px; border:1px solid var(--line); border-radius:4px; background:#fff; cursor:pointer; font-size:13px; }
  .buttons button.primary { background:var(--info); color:#fff; border-color:var(--info); }
  .buttons button.danger { background:var(--danger); color:#fff; border-color:var(--danger); }
  .buttons button:disabled { opacity:.5; cursor:wait; }
  .card a { display:inline-block; margin-top:6px; font-size:13px; color:var(--info); }
  #hint { font-size:12px; color:var(--muted); padding:4px 10px 0; background:var(--panel); border-top:1px solid var(--line); }
  #hint:empty { display:none; }
  form { display:flex; gap:8px; padding:8px; background:var(--panel); align-items:center; border-top:1px solid var(--line); }
  #hint:not(:empty) + form { border-top:0; }
  form label { white-space:nowrap; font-size:13px; }
  form input[type=text] { flex:1; min-width:0; padding:8px; border:1px solid var(--line); border-radius:4px; font-size:14px; }
  form button { padding:8px 14px; border:0; border-radius:4px; background:var(--success); color:#fff; cursor:pointer; }
  #toast { position:fixed; bottom:72px; left:50%; transform:translateX(-50%); max-width:90vw; background:#b91c1c; color:#fff; padding:8px 14px; border-radius:6px; display:none; z-index:10; }
  @media (max-width: 640px) {
    main { flex-direction:column; }
    nav { width:auto; display:flex; overflow-x:auto; border-right:0; border-bottom:1px solid var(--line); }
    nav button { width:auto; white-space:nowrap; border-bottom:0; border-right:1px solid var(--line); }
    header h1 { font-size:14px; }
  }
`;

const SCRIPT = /* js */ `
  'use strict';
  // The API lives next to the page (mounted at /console by default).
  const BASE = location.pathname.replace(/\\/+$/, '') + '/api';
  const BOT = '库存领航';
  const $ = (id) => document.getElementById(id);
  const state = { users: [], chats: [], persona: localStorage.getItem('stockpilot.console.persona'), chat: null, cursor: 0, shown: new Map(), poller: null };

  async function api(path, body, signal) {
    const init = body === undefined ? { signal } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal };
    const res = await fetch(BASE + path, init);
    const json = await res.json().catch(() => null);
    if (!res.ok || !json) {
      const err = json && json.error;
      const issues = err && err.details && Array.isArray(err.details.issues) ? '：' + err.details.issues.map((i) => i.message).join('；') : '';
      throw new Error(err ? err.message + issues : '请求失败（HTTP ' + res.status + '）');
    }
    return json;
  }

  /** Builds an element; text always goes through textContent, never markup. */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  }

  function toast(message) {
    const t = $('toast');
    t.textContent = message;
    t.style.display = 'block';
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.style.display = 'none'; }, 5000);
  }

  function renderCard(m) {
    const c = m.card;
    const tone = ['info', 'success', 'warning', 'danger'].includes(c.tone) ? c.tone : 'info';
    const box = el('div', { class: 'card ' + tone, 'data-tone': tone });
    box.append(el('h3', { text: c.title, 'data-testid': 'card-title' }));
    if (c.subtitle) box.append(el('div', { class: 'sub', text: c.subtitle, 'data-testid': 'card-subtitle' }));
    if (c.fields && c.fields.length) {
      box.append(el('dl', { class: 'fields' }, ...c.fields.map((f) =>
        el('div', { 'data-testid': 'card-field', 'data-label': f.label }, el('dt', { text: f.label }), el('dd', { text: f.value })))));
    }
    if (c.table) {
      const table = el('table', { 'data-testid': 'card-table' },
        el('thead', {}, el('tr', {}, ...c.table.columns.map((h) => el('th', { text: h })))),
        el('tbody', {}, ...c.table.rows.map((r) => el('tr', {}, ...r.map((v) => el('td', { text: v }))))));
      box.append(el('div', { class: 'tablewrap' }, table));
      if (c.table.more) box.append(el('div', { class: 'sub', text: '还有 ' + c.table.more + ' 行' }));
    }
    if (c.notes && c.notes.length) box.append(el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', { text: n, 'data-testid': 'card-note' }))));
    if (c.buttons && c.buttons.length) {
      const row = el('div', { class: 'buttons' });
      for (const b of c.buttons) {
        row.append(el('button', {
          type: 'button', class: b.style || 'default', text: b.label, 'data-testid': 'card-button', 'data-label': b.label,
          onclick: () => tap(m, b, row),
        }));
      }
      box.append(row);
    }
    if (c.link) box.append(el('a', { href: c.link.url, target: '_blank', rel: 'noopener noreferrer', text: '↗ ' + c.link.label, 'data-testid': 'card-link' }));
    return box;
  }

  function tap(m, button, row) {
    for (const b of row.children) b.disabled = true;
    api('/actions', { messageId: m.id, userId: state.persona, value: button.value })
      .then(absorb)
      .catch((e) => { toast(e.message); for (const b of row.children) b.disabled = false; });
  }

  function time(iso) {
    const d = new Date(iso);
    return isNaN(d) ? '' : String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  function renderMessage(m) {
    const mine = m.from.kind === 'user' && m.from.userId === state.persona;
    const who = (mine ? '' : (m.from.name || m.from.userId || '') + ' ') + time(m.at);
    const node = el('div', { class: 'msg' + (mine ? ' mine' : ''), 'data-testid': 'message-' + m.id, 'data-kind': m.from.kind, 'data-seq': m.seq },
      el('span', { class: 'who', text: who }),
      m.card ? renderCard(m) : el('div', { class: 'bubble', text: m.text || '' }));
    const list = $('messages');
    const old = state.shown.get(m.id);
    if (old) {
      // An update in place: same id, later seq. Ignore a stale copy that arrives late.
      if (Number(old.dataset.seq) > m.seq) return false;
      old.replaceWith(node);
    } else {
      const empty = list.querySelector('.empty');
      if (empty) empty.remove();
      list.append(node);
    }
    state.shown.set(m.id, node);
    return !old;
  }

  /** Shows the messages of the open chat from an API answer (replies, poll results). */
  function absorb(res) {
    const list = $('messages');
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    let appended = false;
    for (const m of (res && res.messages) || []) if (m.chatId === state.chat && renderMessage(m)) appended = true;
    if (appended && nearBottom) list.scrollTop = list.scrollHeight;
  }

  /** One long-poll loop per open chat; opening another chat aborts it (browsers allow few connections per host). */
  async function poll(chatId, controller) {
    while (!controller.signal.aborted) {
      try {
        const res = await api('/chats/' + encodeURIComponent(chatId) + '/messages?after=' + state.cursor + '&wait=20000', undefined, controller.signal);
        if (controller.signal.aborted || chatId !== state.chat) return;
        absorb(res);
        state.cursor = Math.max(state.cursor, res.cursor);
      } catch (e) {
        if (controller.signal.aborted) return;
        toast(e.message);
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
  }

  function openChat(id) {
    if (state.poller) state.poller.abort();
    state.chat = id;
    state.cursor = 0;
    state.shown = new Map();
    $('messages').replaceChildren(el('div', { class: 'empty', text: '还没有消息，发一句试试' }));
    for (const b of $('chat-list').children) b.classList.toggle('active', b.dataset.chat === id);
    const chat = state.chats.find((c) => c.id === id);
    const group = !!chat && chat.kind === 'group';
    $('mention-row').style.display = group ? '' : 'none';
    $('hint').textContent = group ? '群聊中需要 @' + BOT + ' 才会回复（勾选左侧开关自动加上）' : '';
    $('text').placeholder = group ? '@' + BOT + ' A-1001还有多少' : '问问库存，例如：A-1001还有多少';
    if (!chat) return;
    state.poller = new AbortController();
    poll(id, state.poller);
  }

  async function loadChats() {
    state.chats = (await api('/chats')).chats;
    const list = $('chat-list');
    list.replaceChildren();
    const mine = 'dm:' + state.persona;
    const visible = state.chats.filter((c) => c.kind === 'group').concat(state.chats.filter((c) => c.id === mine));
    for (const c of visible) {
      list.append(el('button', {
        type: 'button', 'data-testid': 'chat-item-' + c.id, 'data-chat': c.id,
        text: c.kind === 'group' ? '👥 ' + c.name : '💬 与 ' + BOT + ' 的单聊', onclick: () => openChat(c.id),
      }));
    }
    openChat(visible.some((c) => c.id === state.chat) ? state.chat : mine);
  }

  function send(e) {
    e.preventDefault();
    const input = $('text');
    let text = input.value.trim();
    if (!text || !state.chat) return;
    const chat = state.chats.find((c) => c.id === state.chat);
    if (chat && chat.kind === 'group' && $('mention').checked && !text.includes('@' + BOT)) text = '@' + BOT + ' ' + text;
    input.value = '';
    const chatId = state.chat;
    api('/messages', { chatId, userId: state.persona, text })
      .then((res) => { if (!state.chats.some((c) => c.id === chatId)) return loadChats(); absorb(res); })
      .catch((err) => { toast(err.message); if (!input.value) input.value = text; });
  }

  async function start() {
    state.users = (await api('/users')).users;
    const select = $('persona');
    for (const u of state.users) select.append(el('option', { value: u.id, text: [u.name, u.department, u.id].filter(Boolean).join(' · ') }));
    if (!state.users.some((u) => u.id === state.persona)) state.persona = state.users.length ? state.users[0].id : null;
    select.value = state.persona || '';
    select.addEventListener('change', () => {
      state.persona = select.value;
      localStorage.setItem('stockpilot.console.persona', state.persona);
      loadChats().catch((err) => toast(err.message));
    });
    $('composer').addEventListener('submit', send);
    // Enter sends, except while an input method is still composing (pinyin).
    $('text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.isComposing) e.preventDefault(); });
    await loadChats();
  }
  start().catch((e) => toast(e.message));
`;

export const CONSOLE_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>库存领航 · 本地聊天控制台</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>库存领航 · 本地聊天控制台</h1>
  <label>当前身份 <select id="persona" data-testid="persona-select" aria-label="切换身份"></select></label>
</header>
<main>
  <nav id="chat-list" data-testid="chat-list" aria-label="会话列表"></nav>
  <section>
    <div id="messages" data-testid="message-list" aria-live="polite"></div>
    <div id="hint"></div>
    <form id="composer" autocomplete="off">
      <label id="mention-row" style="display:none"><input type="checkbox" id="mention" data-testid="mention-toggle" checked> @库存领航</label>
      <input type="text" id="text" data-testid="composer-input" maxlength="2000" aria-label="输入消息">
      <button type="submit" data-testid="composer-send">发送</button>
    </form>
  </section>
</main>
<div id="toast" role="alert" data-testid="toast"></div>
<script>${SCRIPT}</script>
</body>
</html>`;
