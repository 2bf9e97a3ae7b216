// The page talks to the same JSON API as any client: GET /v1/models, POST /v1/tokenize,
// POST /v1/generate/stream (Server-Sent Events read from the fetch body), POST /v1/fill-mask.
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

function showError(error, id = 'error') {
  $(id).hidden = !error;
  $(id).textContent = error ? error.message : '';
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
    // Generation and fill-mask offer the models that can do them, the default first.
    for (const [id, kind] of [['gen-model', 'causal-lm'], ['fill-model', 'masked-lm']]) {
      const models = data.filter((m) => m.kind === kind);
      $(id).replaceChildren(...models.map((m) => new Option(m.id, m.id)));
    }
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

// --- Generation: one span per streamed token, then the finish reason and usage. ---

let generation = null; // the AbortController of the running stream

/** Splits an SSE body into {event, data} frames as they arrive. */
async function* sseFrames(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = { event: 'message', data: '' };
      for (const line of buffer.slice(0, end).split('\n')) {
        if (line.startsWith('event: ')) frame.event = line.slice(7);
        if (line.startsWith('data: ')) frame.data = line.slice(6);
      }
      buffer = buffer.slice(end + 2);
      yield frame;
    }
  }
}

async function generate(event) {
  if (event) event.preventDefault();
  generation?.abort();
  generation = new AbortController();
  const out = $('generated');
  out.replaceChildren();
  $('gen-status').textContent = 'waiting for the first token…';
  $('stop-generation').disabled = false;
  showError(null, 'gen-error');
  try {
    const response = await fetch('/v1/generate/stream', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: $('gen-model').value || undefined,
        prompt: $('prompt').value,
        max_new_tokens: Number($('max-new-tokens').value),
        temperature: Number($('temperature').value),
        top_k: Number($('top-k').value),
      }),
      signal: generation.signal,
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(`${response.status} ${problem.title || ''}: ${problem.detail || ''}`);
    }
    let n = 0;
    for await (const frame of sseFrames(response)) {
      const data = JSON.parse(frame.data);
      if (frame.event === 'token') {
        const span = document.createElement('span');
        span.className = `tok t${n++ % 6}`;
        span.dataset.id = data.id;
        span.title = `id ${data.id} · logprob ${data.logprob.toFixed(3)}`;
        span.textContent = data.text;
        out.append(span);
        $('gen-status').textContent = `${n} tokens…`;
      } else if (frame.event === 'done') {
        const u = data.usage;
        $('gen-status').textContent = `finish_reason: ${data.finish_reason} · ${u.completion_tokens} tokens` +
          ` · first token ${Math.round(u.time_to_first_token_ms ?? 0)} ms · ${u.tokens_per_second.toFixed(1)} tokens/s`;
      } else if (frame.event === 'error') {
        throw new Error(`${data.status} ${data.title}: ${data.detail}`);
      }
    }
  } catch (error) {
    if (error.name === 'AbortError') {
      $('gen-status').textContent = 'stopped';
    } else {
      showError(error, 'gen-error');
      $('gen-status').textContent = '';
    }
  } finally {
    $('stop-generation').disabled = true;
  }
}

// --- Fill-mask: a row per candidate of each mask. ---

async function fill(event) {
  if (event) event.preventDefault();
  try {
    const text = $('mask-text').value;
    let result = await api('/v1/fill-mask', {
      model: $('fill-model').value || undefined,
      text,
      top_k: Number($('fill-top-k').value),
    });
    if (result.length && !Array.isArray(result[0])) result = [result]; // one mask: HF's flat list
    const body = $('candidates').querySelector('tbody');
    body.replaceChildren();
    result.forEach((candidates, mask) => candidates.forEach((c) => {
      const row = body.insertRow();
      row.dataset.token = c.token_str;
      [mask + 1, c.token_str, c.token, c.score.toFixed(4), c.sequence]
        .forEach((v) => { row.insertCell().textContent = v; });
    }));
    $('candidates').hidden = false;
    showError(null, 'fill-error');
  } catch (error) {
    showError(error, 'fill-error');
  }
}

// Links fill the forms: ?model=...&text=... tokenizes; ?prompt=... (with gen_model, max_new_tokens,
// temperature) streams a generation; ?mask=... (with fill_model) fills the mask.
function applyQuery() {
  const query = new URLSearchParams(window.location.search);
  if (query.has('text')) $('text').value = query.get('text');
  if (query.has('model')) {
    $('model').value = query.get('model');
    showModelInfo();
  }
  for (const [param, id] of [['gen_model', 'gen-model'], ['max_new_tokens', 'max-new-tokens'],
    ['temperature', 'temperature'], ['fill_model', 'fill-model']]) {
    if (query.has(param)) $(id).value = query.get(param);
  }
  if (query.has('prompt')) {
    $('prompt').value = query.get('prompt');
    generate();
  }
  if (query.has('mask')) {
    $('mask-text').value = query.get('mask');
    fill();
  }
}

$('tokenize-form').addEventListener('submit', tokenize);
$('add-special').addEventListener('change', tokenize);
$('generate-form').addEventListener('submit', generate);
$('stop-generation').addEventListener('click', () => generation?.abort());
$('fill-form').addEventListener('submit', fill);
loadModels().then(applyQuery).then(() => tokenize());
