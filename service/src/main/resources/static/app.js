// The page talks to the same JSON API as any client: GET /v1/models, POST /v1/tokenize.
'use strict';

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    // Errors are application/problem+json: detail names what is wrong.
    throw new Error(`${response.status} ${json.title || response.statusText}: ${json.detail || ''}`);
  }
  return json;
}

function showError(error) {
  $('error').hidden = !error;
  $('error').textContent = error ? error.message : '';
}

function showModelInfo() {
  $('model-info').textContent = $('model').selectedOptions[0]?.dataset.info || '';
}

async function loadModels() {
  try {
    const { data } = await api('/v1/models');
    const select = $('model');
    select.replaceChildren(...data.map((m) => {
      const option = new Option(`${m.id} (${m.kind})`, m.id);
      option.dataset.info = `${m.tokenizer_family || ''}` +
        (m.context_length ? ` · context ${m.context_length}` : '') + ` · ${m.state}`;
      return option;
    }));
    select.addEventListener('change', () => { showModelInfo(); tokenize(); });
    showModelInfo();
  } catch (error) {
    showError(error);
  }
}

function render(text, result) {
  const colored = $('colored');
  const body = $('tokens').querySelector('tbody');
  colored.replaceChildren();
  body.replaceChildren();
  let cursor = 0;
  result.tokens.forEach((token, i) => {
    const [start, end] = result.offsets[i];
    const span = document.createElement('span');
    span.title = `#${i} id ${result.ids[i]} [${start}, ${end})  ${token}`;
    span.dataset.id = result.ids[i];
    if (start < 0 || end <= start) {
      // A special token the tokenizer added: it covers no text.
      span.className = 'special';
      span.textContent = token;
    } else {
      if (start > cursor) colored.append(document.createTextNode(text.slice(cursor, start)));
      span.className = `tok t${i % 6}`;
      span.textContent = text.slice(Math.max(start, cursor), end);
      cursor = Math.max(cursor, end);
    }
    colored.append(span);
    const row = body.insertRow();
    [i, JSON.stringify(token), result.ids[i], `[${start}, ${end})`].forEach((v) => { row.insertCell().textContent = v; });
  });
  if (cursor < text.length) colored.append(document.createTextNode(text.slice(cursor)));
  $('tokens').hidden = result.tokens.length === 0;
  $('count').textContent = `${result.count} tokens`;
}

async function tokenize(event) {
  if (event) event.preventDefault();
  const text = $('text').value;
  try {
    const result = await api('/v1/tokenize', {
      model: $('model').value || undefined,
      text,
      add_special_tokens: $('add-special').checked,
      offsets: 'utf16', // JavaScript strings index UTF-16 units, so spans slice the text directly
    });
    showError(null);
    render(text, result);
  } catch (error) {
    showError(error);
  }
}

// ?model=...&text=... fills the form, so a tokenization can be shared as a link.
function applyQuery() {
  const query = new URLSearchParams(window.location.search);
  if (query.has('text')) $('text').value = query.get('text');
  if (query.has('model')) {
    $('model').value = query.get('model');
    showModelInfo();
  }
}

$('tokenize-form').addEventListener('submit', tokenize);
$('add-special').addEventListener('change', tokenize);
loadModels().then(applyQuery).then(() => tokenize());
