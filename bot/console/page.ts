/**
 * The local chat console page: one self-contained HTML document (styles and
 * script inline: no build step, one request) that plays a messenger over the
 * console JSON API. Everything it shows is text, never markup from the
 * server, so it builds the DOM with textContent only.
 */

const STYLE = /* css */ `
  :root { --bg:#f3f4f6; --panel:#fff; --line:#e5e7eb; --text:#1f2937; --muted:#6b7280; --me:#95ec69;
          --info:#3b82f6; --success:#16a34a; --warning:#f59e0b; --danger:#dc2626; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color:var(--text); background:var(--bg); }
  header { display:flex; gap:12px; align-items:center; padding:8px 12px; background:#111827; color:#fff; }
  header h1 { font-size:16px; margin:0; flex:1; }
  header select { max-width:55vw; padding:4px; }
  main { display:flex; height:calc(100vh - 48px); }
  nav { width:230px; border-right:1px solid var(--line); background:var(--panel); overflow-y:auto; }
  nav button { display:block; width:100%; text-align:left; padding:10px 12px; border:0; border-bottom:1px solid var(--line); background:none; cursor:pointer; }
  nav button.active { background:#e0ecff; }
  section { flex:1; display:flex; flex-direction:column; min-width:0; }
  #messages { flex:1; overflow-y:auto; padding:12px; }
  .msg { display:flex; flex-direction:column; margin:8px 0; max-width:min(560px, 92%); }
  .msg.mine { margin-left:auto; align-items:flex-end; }
  .who { font-size:12px; color:var(--muted); }
  .bubble { background:var(--panel); border-radius:8px; padding:8px 10px; white-space:pre-wrap; }
  .mine .bubble { background:var(--me); }
  .card { background:var(--panel); border-radius:8px; border-left:4px solid var(--info); padding:10px 12px; box-shadow:0 1px 2px #0001; }
  .card.success { border-color:var(--success); } .card.warning { border-color:var(--warning); } .card.danger { border-color:var(--danger); }
  .card h3 { margin:0; font-size:15px; } .card .sub { color:var(--muted); font-size:12px; }
  .fields { display:grid; grid-template-columns:auto 1fr; gap:2px 12px; margin:6px 0; }
  .fields dt { color:var(--muted); } .fields dd { margin:0; }
  table { border-collapse:collapse; width:100%; margin:6px 0; font-size:13px; }
  th, td { border-bottom:1px solid var(--line); padding:3px 6px; text-align:left; }
  ul.notes { margin:6px 0; padding-left:18px; color:#374151; font-size:13px; }
  .buttons { display:flex; flex-wrap:wrap; gap:6px; margin-top:6px; }
  .buttons button { padding:5px 12px; border:1px solid var(--line); border-radius:4px; background:#fff; cursor:pointer; }
  .buttons button.primary { background:var(--info); color:#fff; border-color:var(--info); }
  .buttons button.danger { background:var(--danger); color:#fff; border-color:var(--danger); }
  .card a { display:inline-block; margin-top:6px; font-size:13px; }
  form { display:flex; gap:8px; padding:8px; border-top:1px solid var(--line); background:var(--panel); align-items:center; }
  form input[type=text] { flex:1; padding:8px; border:1px solid var(--line); border-radius:4px; }
  #hint { font-size:12px; color:var(--muted); padding:0 8px; }
  #toast { position:fixed; bottom:70px; left:50%; transform:translateX(-50%); background:#111827; color:#fff; padding:8px 14px; border-radius:6px; display:none; }
  @media (max-width: 640px) { nav { width:120px; } }
`;

const SCRIPT = /* js */ `
  const api = (path, body) => fetch('/console/api' + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (r) => { const j = await r.json(); if (!r.ok) throw new Error(j.error ? j.error.message + (j.error.details && j.error.details.issues ? ': ' + j.error.details.issues.map((i) => i.path + ' ' + i.message).join('; ') : '') : r.statusText); return j; });
  const el = (tag, attrs = {}, ...kids) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) { if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); } for (const k of kids) if (k) e.append(k); return e; };
  const $ = (id) => document.getElementById(id);
  const state = { users: [], chats: [], persona: localStorage.getItem('persona'), chat: null, cursor: 0, poll: 0, shown: new Map() };

  function toast(message) { const t = $('toast'); t.textContent = message; t.style.display = 'block'; clearTimeout(toast.timer); toast.timer = setTimeout(() => (t.style.display = 'none'), 4000); }

  function renderCard(m) {
    const c = m.card;
    const box = el('div', { class: 'card ' + (c.tone || 'info') });
    box.append(el('h3', { text: c.title, 'data-testid': 'card-title' }));
    if (c.subtitle) box.append(el('div', { class: 'sub', text: c.subtitle }));
    if (c.fields && c.fields.length) {
      const dl = el('dl', { class: 'fields' });
      for (const f of c.fields) dl.append(el('dt', { text: f.label, 'data-testid': 'card-field' }), el('dd', { text: f.value }));
      box.append(dl);
    }
    if (c.table) {
      const t = el('table', { 'data-testid': 'card-table' });
      t.append(el('tr', {}, ...c.table.columns.map((h) => el('th', { text: h }))));
      for (const r of c.table.rows) t.append(el('tr', {}, ...r.map((v) => el('td', { text: v }))));
      box.append(t);
      if (c.table.more) box.append(el('div', { class: 'sub', text: '还有 ' + c.table.more + ' 行' }));
    }
    if (c.notes && c.notes.length) box.append(el('ul', { class: 'notes' }, ...c.notes.map((n) => el('li', { text: n, 'data-testid': 'card-note' }))));
    if (c.buttons && c.buttons.length) {
      box.append(el('div', { class: 'buttons' }, ...c.buttons.map((b) => el('button', {
        class: b.style || 'default', text: b.label, 'data-testid': 'card-button', 'data-label': b.label,
        onclick: () => api('/actions', { messageId: m.id, userId: state.persona, value: b.value }).then(absorb).catch((e) => toast(e.message)),
      }))));
    }
    if (c.link) box.append(el('a', { href: c.link.url, target: '_blank', rel: 'noopener', text: '↗ ' + c.link.label }));
    return box;
  }

  function renderMessage(m) {
    const mine = m.from.kind === 'user' && m.from.userId === state.persona;
    const node = el('div', { class: 'msg' + (mine ? ' mine' : ''), 'data-testid': 'message-' + m.id, 'data-kind': m.from.kind },
      el('span', { class: 'who', text: m.from.name }),
      m.card ? renderCard(m) : el('div', { class: 'bubble', text: m.text || '' }));
    const old = state.shown.get(m.id);
    if (old) old.replaceWith(node); else $('messages').append(node);
    state.shown.set(m.id, node);
  }

  function absorb(res) {
    for (const m of res.messages || []) if (m.chatId === state.chat) renderMessage(m);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  async function poll(generation) {
    while (generation === state.poll) {
      try {
        const res = await api('/chats/' + encodeURIComponent(state.chat) + '/messages?after=' + state.cursor + '&wait=20000');
        if (generation !== state.poll) return;
        state.cursor = res.cursor;
        absorb(res);
      } catch (e) { toast(e.message); await new Promise((r) => setTimeout(r, 2000)); }
    }
  }

  function openChat(id) {
    state.chat = id; state.cursor = 0; state.shown = new Map(); $('messages').replaceChildren();
    for (const b of $('chat-list').children) b.classList.toggle('active', b.dataset.chat === id);
    const chat = state.chats.find((c) => c.id === id);
    const group = chat && chat.kind === 'group';
    $('mention-row').style.display = group ? '' : 'none';
    $('hint').textContent = group ? '群聊中需 @库存领航 才会回复' : '';
    poll(++state.poll);
  }

  function renderChats() {
    const list = $('chat-list');
    list.replaceChildren();
    const visible = state.chats.filter((c) => c.kind === 'group' || c.userId === state.persona);
    for (const c of visible) {
      list.append(el('button', { 'data-testid': 'chat-item-' + c.id, 'data-chat': c.id, text: c.kind === 'group' ? '👥 ' + c.name : '与 库存领航 的单聊', onclick: () => openChat(c.id) }));
    }
    openChat(visible.some((c) => c.id === state.chat) ? state.chat : 'dm:' + state.persona);
  }

  async function start() {
    state.users = (await api('/users')).users;
    const select = $('persona');
    for (const u of state.users) select.append(el('option', { value: u.id, text: u.name + ' · ' + (u.department || '') + ' · ' + u.id }));
    if (!state.users.some((u) => u.id === state.persona)) state.persona = state.users[0] && state.users[0].id;
    select.value = state.persona;
    select.addEventListener('change', () => { state.persona = select.value; localStorage.setItem('persona', state.persona); renderChats(); });
    state.chats = (await api('/chats')).chats;
    renderChats();
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('text');
      let text = input.value.trim();
      if (!text) return;
      const chat = state.chats.find((c) => c.id === state.chat);
      if (chat && chat.kind === 'group' && $('mention').checked && !text.includes('@')) text = '@库存领航 ' + text;
      input.value = '';
      api('/messages', { chatId: state.chat, userId: state.persona, text }).then(absorb).catch((err) => toast(err.message));
    });
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
<header><h1>库存领航 · 本地聊天控制台</h1><label>身份 <select id="persona" data-testid="persona-select"></select></label></header>
<main>
  <nav id="chat-list" data-testid="chat-list"></nav>
  <section>
    <div id="messages" data-testid="message-list"></div>
    <div id="hint"></div>
    <form id="composer">
      <label id="mention-row"><input type="checkbox" id="mention" data-testid="mention-toggle" checked> @库存领航</label>
      <input type="text" id="text" data-testid="composer-input" placeholder="问问库存，例如：A-1001还有多少" autocomplete="off">
      <button type="submit" data-testid="composer-send">发送</button>
    </form>
  </section>
</main>
<div id="toast" role="status"></div>
<script>${SCRIPT}</script>
</body>
</html>`;
