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
    const showInfo = () => { $('model-info').textContent = select.selectedOptions[0]?.dataset.info || ''; };
    select.addEventListener('change', () => { showInfo(); tokenize(); });
    showInfo();
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

$('tokenize-form').addEventListener('submit', tokenize);
$('add-special').addEventListener('change', tokenize);
loadModels().then(() => tokenize());
