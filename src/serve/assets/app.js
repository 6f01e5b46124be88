// yoshiki serve — the edit page.
//
// The server sends the form's outline (fields in print order, the Japanese
// label of each cell, kinds, choices) and the file's values; this script
// builds the form from them, sends the values for a preview on every
// change (one request at a time, the latest values always), shows each
// message next to the field it concerns, and saves.
//
// Every text from the data or the layout reaches the page through
// textContent, value or attribute setters, never as HTML.
'use strict';

(function () {
  const bootEl = document.getElementById('boot');
  if (!bootEl) return; // the home page needs no script
  const boot = JSON.parse(bootEl.textContent);

  // ------------------------------------------------------------ helpers

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function button(text, onclick, title) {
    return el('button', { type: 'button', class: 'small', title, onclick }, text);
  }

  function str(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  let uid = 0;
  const next = (p) => p + ++uid;

  // Text boxes grow with their text: natively where the browser can
  // (field-sizing), else by counting lines — never by measuring, which on
  // a plan's thousands of boxes forces a layout per box.
  const nativeFit = window.CSS && CSS.supports('field-sizing', 'content');
  function fit(area) {
    if (nativeFit) return;
    const width = Math.max(20, Math.floor((area.clientWidth || 600) / 15));
    const lines = area.value.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / width)), 0);
    area.rows = Math.min(Math.max(lines, 2), 30);
  }

  function textBox(id, value, multiline, cls) {
    if (multiline || value.includes('\n')) {
      const area = el('textarea', { id, class: 'value ' + (cls || ''), rows: 3, spellcheck: 'false' });
      area.value = value;
      area.addEventListener('input', () => fit(area));
      fit(area);
      return area;
    }
    const input = el('input', { id, type: 'text', class: 'value ' + (cls || ''), autocomplete: 'off', spellcheck: 'false' });
    input.value = value;
    return input;
  }

  const PLACEHOLDERS = {
    fiscal_year: '例: 令和7 / R7 / 2025',
    date: '例: 2025-04-01',
    amount: '例: 7188',
    number: '例: 6',
  };

  // ------------------------------------------------------------ building the form

  function scope(fields, values) {
    const box = el('div', { class: 'scope' });
    const known = new Set();
    const obj = values && typeof values === 'object' && !Array.isArray(values) ? values : {};
    for (const f of fields) {
      known.add(f.name);
      box.append(field(f, obj[f.name]));
    }
    // Values the layout has no field for here: kept as they are.
    for (const [k, v] of Object.entries(obj)) {
      if (!known.has(k) && v !== null && v !== '') box.append(extra(k, v));
    }
    return box;
  }

  function labelOf(f, id) {
    return el('label', { class: 'label', for: id },
      el('span', { class: 'ja', text: f.label }),
      el('code', { class: 'key', text: f.name, title: 'the name in the data file' }));
  }

  function field(f, v) {
    const id = next('f');
    const wrap = el('div', { class: 'field kind-' + f.kind, dataset: { name: f.name, kind: f.kind } });
    if (f.kind === 'list') return list(f, v, wrap);
    wrap.append(labelOf(f, id));
    let control;
    if (f.kind === 'text') control = textBox(id, str(v), f.multiline);
    else if (f.kind === 'choice') control = choice(id, f, str(v));
    else if (f.kind === 'series') control = series(id, f, v);
    else {
      control = el('span', { class: 'line' },
        el('input', { id, type: 'text', class: 'value short', autocomplete: 'off', spellcheck: 'false', placeholder: PLACEHOLDERS[f.kind], value: str(v) }),
        el('span', { class: 'printed', title: 'as printed', 'aria-live': 'polite' }));
    }
    wrap.append(control, el('div', { class: 'hint', text: f.hint }), el('div', { class: 'messages' }));
    return wrap;
  }

  // Labels by field name, anywhere in the form (a value given at another
  // level than the form asks for it keeps its label).
  const labels = new Map();
  (function collectLabels(fields) {
    for (const f of fields) {
      if (!labels.has(f.name)) labels.set(f.name, f.label);
      if (f.fields) collectLabels(f.fields);
    }
  })(boot.outline);

  function extra(name, v) {
    const id = next('f');
    if (typeof v === 'string' || typeof v === 'number') {
      const wrap = el('div', { class: 'field kind-text extra', dataset: { name, kind: 'text' } });
      wrap.append(labelOf({ label: labels.get(name) || name, name }, id), textBox(id, str(v), false),
        el('div', { class: 'hint', text: labels.has(name)
          ? 'given here for every element below (an element may give its own)'
          : 'not a field of this form: kept as it is' }), el('div', { class: 'messages' }));
      return wrap;
    }
    return el('div', { class: 'field kind-raw extra', dataset: { name, kind: 'raw', raw: JSON.stringify(v) } },
      el('span', { class: 'label' }, el('code', { class: 'key', text: name })),
      el('div', { class: 'hint', text: 'kept as it is (edit it in the YAML file)' }), el('div', { class: 'messages' }));
  }

  function choice(id, f, v) {
    const box = el('div', { class: 'choices', role: 'radiogroup', id });
    const name = next('c');
    const options = [...f.options];
    if (v && !options.includes(v)) options.push(v); // shown, and reported
    const radio = (value, text, cls) => {
      const input = el('input', { type: 'radio', name, value, class: 'value' });
      input.checked = value === v;
      return el('label', { class: cls || '' }, input, el('span', { text }));
    };
    box.append(radio('', '（未選択）', 'none'));
    for (const o of options) box.append(radio(o, o));
    return box;
  }

  // A series: one value per column (year), or values spanning columns.
  function series(id, f, v) {
    // No value: one empty box per column. A blank value (null or "")
    // spans them all: the form prints one merged cell.
    let items;
    if (v === undefined) {
      items = Array.from({ length: f.columns }, () => ({ text: '', span: 1 }));
    } else if (v === null || v === '') {
      items = [{ text: '', span: f.columns }];
    } else if (Array.isArray(v)) {
      items = v.map((x) => (x && typeof x === 'object') ? { text: str(x.text), span: Number(x.span) || 1 } : { text: str(x), span: 1 });
    } else {
      items = [{ text: str(v), span: f.columns }];
    }
    const box = el('div', { class: 'series', id, dataset: { columns: f.columns, years: f.years ? '1' : '' } });
    const tools = el('div', { class: 'series-tools' },
      button('＋ 値を追加 (add a value)', () => { box.insertBefore(seriesItem(f, { text: '', span: 1 }), tools); relabel(box); changed(); }));
    for (const it of items) box.append(seriesItem(f, it));
    box.append(tools);
    relabel(box);
    return box;
  }

  function seriesItem(f, it) {
    const row = el('div', { class: 'item' });
    const cols = el('span', { class: 'cols' });
    const text = textBox(next('s'), it.text, f.multiline);
    const span = el('select', { class: 'span', title: 'columns this value spans' });
    for (let n = 1; n <= f.columns; n++) span.append(el('option', { value: n, text: n === 1 ? '1列' : n + '列' }));
    span.value = String(Math.min(Math.max(it.span, 1), f.columns));
    span.addEventListener('change', () => relabel(row.parentNode));
    const remove = button('×', () => { const box = row.parentNode; row.remove(); relabel(box); changed(); }, 'remove this value');
    row.append(cols, text, span, remove);
    return row;
  }

  let yearLabels = [];

  // Name the columns each series value covers (R2, R3–R4 …).
  function relabel(box) {
    if (!box) return;
    let c = 0;
    for (const item of box.querySelectorAll(':scope > .item')) {
      const span = Number(item.querySelector('.span').value) || 1;
      const name = (i) => (box.dataset.years && yearLabels[i]) ? yearLabels[i] : String(i + 1);
      item.querySelector('.cols').textContent = span === 1 ? name(c) : name(c) + '–' + name(c + span - 1);
      c += span;
    }
  }

  function list(f, v, wrap) {
    const set = el('fieldset', { class: 'list' },
      el('legend', {}, el('span', { class: 'ja', text: f.label }), el('code', { class: 'key', text: f.name })),
      el('div', { class: 'messages' }));
    const items = el('div', { class: 'items' });
    for (const x of (Array.isArray(v) ? v : [])) items.append(element(f, x));
    set.append(items, button('＋ ' + f.label + ' を追加 (add)', () => {
      const it = element(f, null);
      items.append(it);
      renumber(items);
      changed();
      const first = it.querySelector('.value');
      if (first) first.focus();
    }, 'add an element'));
    renumber(items);
    wrap.append(set);
    return wrap;
  }

  function element(f, x) {
    const item = el('div', { class: 'element' });
    const move = (d) => () => {
      const items = item.parentNode;
      if (d < 0 && item.previousElementSibling) items.insertBefore(item, item.previousElementSibling);
      if (d > 0 && item.nextElementSibling) items.insertBefore(item.nextElementSibling, item);
      renumber(items);
      changed();
    };
    const remove = () => {
      const items = item.parentNode;
      const filled = [...item.querySelectorAll('.value')].some((i) => (i.type === 'radio' ? i.checked && i.value : i.value));
      if (filled && !window.confirm('Remove this element and everything in it?')) return;
      item.remove();
      renumber(items);
      changed();
    };
    item.append(el('div', { class: 'element-bar' },
      el('span', { class: 'number' }),
      button('↑', move(-1), 'move up'), button('↓', move(1), 'move down'), button('削除', remove, 'remove')),
      scope(f.fields, x));
    return item;
  }

  function renumber(items) {
    [...items.children].forEach((it, i) => { it.querySelector(':scope > .element-bar > .number').textContent = '#' + (i + 1); });
  }

  // ------------------------------------------------------------ reading the form

  let paths = new Map(); // data path → field element, as of the last collect

  function collect() {
    paths = new Map();
    return collectScope(form.querySelector(':scope > .scope'), 'fields');
  }

  function collectScope(box, path) {
    const out = {};
    for (const f of box.children) {
      if (!f.classList.contains('field')) continue;
      const name = f.dataset.name;
      const p = path + '.' + name;
      paths.set(p, f);
      let value;
      switch (f.dataset.kind) {
        case 'list':
          value = [...f.querySelector(':scope > fieldset > .items').children]
            .map((it, i) => collectScope(it.querySelector(':scope > .scope'), p + '[' + i + ']'));
          break;
        case 'choice': {
          const c = f.querySelector('input[type=radio]:checked');
          value = c && c.value !== '' ? c.value : null;
          break;
        }
        case 'series':
          value = [...f.querySelectorAll(':scope > .series > .item')]
            .map((it) => ({ text: it.querySelector('.value').value, span: Number(it.querySelector('.span').value) }));
          break;
        case 'raw':
          value = JSON.parse(f.dataset.raw);
          break;
        default:
          value = f.querySelector('.value').value;
      }
      out[name] = value;
    }
    return out;
  }

  // ------------------------------------------------------------ talking to the server

  async function post(url, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Yoshiki-Token': boot.token },
      body: JSON.stringify(body),
    });
    let json = null;
    try { json = await res.json(); } catch (e) { json = { error: await res.text().catch(() => '') }; }
    return { status: res.status, json };
  }

  const status = document.getElementById('status');
  function say(text, cls) {
    status.textContent = text;
    status.className = 'status ' + (cls || '');
  }

  // ------------------------------------------------------------ preview

  const form = document.getElementById('form');
  const pagesBox = document.getElementById('pages');
  const general = document.getElementById('general');
  const yearBox = document.getElementById('year-box');
  const yearSelect = document.getElementById('year');
  const pdfLink = document.getElementById('pdf');

  let dirtySince = null; // when the first change not yet previewed happened
  let busy = false;
  let shown = 0; // the rendering the pages show

  function changed() {
    if (dirtySince === null) dirtySince = performance.now();
    document.body.dataset.idle = '';
    updateSaved();
    refresh();
  }

  async function refresh() {
    if (busy || dirtySince === null) return;
    busy = true;
    const started = dirtySince;
    dirtySince = null;
    try {
      const fields = collect();
      const { status: code, json } = await post('/api/preview', { session: boot.session, fields, year: yearSelect.value || null });
      if (code === 410) { say('This page is out of date: reload it', 'error'); return; }
      if (code !== 200) { say('Preview failed: ' + (json.error || code), 'error'); return; }
      showMessages(json.messages || []);
      showPrinted(json.printed || {});
      showYears(json.years || []);
      if (json.rendering) await showPages(json.rendering, json.pages, started);
    } catch (e) {
      say('The server does not answer (is yoshiki serve still running?)', 'error');
    } finally {
      busy = false;
      if (dirtySince !== null) refresh();
      else document.body.dataset.idle = '1'; // every change is in the preview
    }
  }

  // Load the pages of a rendering; each replaces its page when loaded.
  function showPages(n, count, started) {
    return new Promise((resolve) => {
      let left = count;
      const done = () => {
        if (--left > 0) return;
        while (pagesBox.children.length > count) pagesBox.lastChild.remove();
        document.body.dataset.rendering = String(n);
        document.body.dataset.previewMs = (performance.now() - started).toFixed(1);
        resolve();
      };
      if (count === 0) { left = 1; done(); return; }
      shown = n;
      pdfLink.href = '/s/' + boot.session + '/' + n + '.pdf';
      pdfLink.classList.remove('disabled');
      for (let i = 1; i <= count; i++) {
        const img = new Image();
        img.className = 'page';
        img.alt = 'page ' + i;
        img.onload = () => {
          if (shown === n) {
            const old = pagesBox.children[i - 1];
            if (old) old.replaceWith(img); else pagesBox.append(img);
          }
          done();
        };
        img.onerror = done;
        img.src = '/s/' + boot.session + '/' + n + '/' + i + '.png';
      }
    });
  }

  function parentPath(p) {
    const m = p.match(/^(.*)(\[\d+\]|\.[^.[\]]+)$/);
    return m ? m[1] : '';
  }

  function showMessages(messages) {
    for (const box of form.querySelectorAll('.messages')) box.replaceChildren();
    for (const f of form.querySelectorAll('.has-error, .has-warning')) f.classList.remove('has-error', 'has-warning');
    general.replaceChildren();
    let errors = 0, warnings = 0;
    for (const m of messages) {
      m.error ? errors++ : warnings++;
      let targets = [];
      if (m.path.includes('[*]')) {
        const pattern = '^' + m.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\[\\\*\\\]/g, '\\[\\d+\\]') + '$';
        const re = new RegExp(pattern);
        for (const [p, f] of paths) if (re.test(p)) targets.push(f);
      } else {
        let p = m.path;
        while (p && !paths.has(p)) p = parentPath(p);
        if (p) targets.push(paths.get(p));
      }
      const line = () => el('div', { class: 'msg ' + (m.error ? 'error' : 'warning'), text: m.message });
      if (targets.length === 0) {
        general.append(el('div', { class: 'msg ' + (m.error ? 'error' : 'warning'), text: (m.path ? m.path + ': ' : '') + m.message }));
      }
      for (const f of targets) {
        const box = f.querySelector(':scope > .messages, :scope > fieldset > .messages');
        box.append(line());
        f.classList.add(m.error ? 'has-error' : 'has-warning');
      }
    }
    document.body.dataset.errors = String(errors);
    const summary = errors || warnings
      ? [errors ? errors + (errors === 1 ? ' error' : ' errors') : '', warnings ? warnings + (warnings === 1 ? ' warning' : ' warnings') : ''].filter(Boolean).join(', ')
      : '';
    const where = errors ? ' — the preview leaves those values out; see the fields marked on the left' : ' — see the fields marked on the left';
    if (summary) general.prepend(el('div', { class: 'summary', text: summary + where }));
  }

  function showPrinted(printed) {
    for (const [p, f] of paths) {
      const out = f.querySelector(':scope .printed');
      if (out) out.textContent = printed[p] ? '→ ' + printed[p] : '';
    }
  }

  function showYears(years) {
    if (!boot.plan) return;
    yearLabels = years.map((y) => y[1]);
    for (const box of form.querySelectorAll('.series')) relabel(box);
    const current = yearSelect.value;
    const values = years.map((y) => y[0]).join(',');
    if (yearSelect.dataset.values !== values) {
      yearSelect.dataset.values = values;
      yearSelect.replaceChildren(...years.map((y) => el('option', { value: y[0], text: y[1] })));
      yearSelect.value = years.some((y) => y[0] === current) ? current : (years.length ? years[years.length - 1][0] : '');
    }
    yearBox.hidden = years.length === 0;
  }

  // ------------------------------------------------------------ saving

  let base = boot.base;
  let savedText = null; // the values as last saved (or opened)

  function updateSaved() {
    const now = JSON.stringify(collect());
    const dirty = now !== savedText;
    document.body.dataset.unsaved = dirty ? '1' : '';
    if (dirty) say(boot.new ? 'New sheet — not saved yet' : 'Unsaved changes', 'unsaved');
  }

  async function save() {
    const fields = collect();
    say('Saving…');
    const { status: code, json } = await post('/api/save', { session: boot.session, fields, base });
    if (code === 200) {
      base = json.base;
      savedText = JSON.stringify(fields);
      document.body.dataset.unsaved = '';
      document.body.dataset.saved = String(Number(document.body.dataset.saved || 0) + 1);
      say('Saved ' + json.file + ' ' + new Date().toLocaleTimeString(), 'saved');
      if (boot.new) {
        boot.new = false;
        history.replaceState(null, '', '/edit?file=' + encodeURIComponent(json.file));
        const em = document.querySelector('.bar .file em');
        if (em) em.remove();
      }
    } else if (code === 409) {
      document.getElementById('disk').textContent = json.disk || '(the file is gone)';
      document.getElementById('ours').textContent = json.ours;
      const dialog = document.getElementById('conflict');
      dialog.dataset.base = json.base;
      dialog.showModal();
      say('Not saved: the file changed on disk', 'error');
    } else {
      say('Not saved: ' + (json.error || code), 'error');
    }
  }

  document.getElementById('overwrite').addEventListener('click', () => {
    const dialog = document.getElementById('conflict');
    base = dialog.dataset.base;
    dialog.close();
    save();
  });
  document.getElementById('keep').addEventListener('click', () => document.getElementById('conflict').close());
  document.getElementById('save').addEventListener('click', save);
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); save(); }
  });
  window.addEventListener('beforeunload', (e) => {
    if (document.body.dataset.unsaved) { e.preventDefault(); e.returnValue = ''; }
  });

  // ------------------------------------------------------------ start

  // The values as they would be saved (for the browser tests, and for a
  // look from the developer console).
  window.yoshikiValues = collect;

  form.append(scope(boot.outline, boot.values));
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  yearSelect.addEventListener('change', () => {
    if (dirtySince === null) dirtySince = performance.now();
    document.body.dataset.idle = '';
    refresh();
  });
  pdfLink.classList.add('disabled');
  savedText = boot.new ? JSON.stringify({}) : JSON.stringify(collect());
  if (boot.new) updateSaved();
  dirtySince = performance.now();
  refresh();
})();
