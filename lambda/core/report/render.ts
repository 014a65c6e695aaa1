/**
 * report.html: one self-contained page from a {@link ReportData}, with no script, no external style,
 * font or image, and a Content-Security-Policy that forbids every request (`default-src 'none'`) and
 * allows only the page's own style sheet (by its hash). Every value from the run goes through
 * {@link escapeHtml}: cells are hostile, and none is ever parsed as markup.
 *
 * The outcome counts carry `data-count="<status>"` and `data-value="<n>"` (ids `count-<status>`), so
 * a test or a scraper reads them without parsing the formatted text.
 */
import { type ErrorGroup, EXTRA_SECTIONS, type ExtraSection, type ReportData } from './data';
import { escapeAttr, escapeHtml, truncate } from './escape';
import { formatCount, formatPercent, formatTime, formatUsd } from './format';
import { CONTENT_SECURITY_POLICY, STYLE } from './style';
import { COLORS, costChart, histogramChart, outcomeBar } from './svg';
import { timeline } from './timeline';

const e = escapeHtml;

/** report.html for `data`. */
export function renderReport(data: ReportData): string {
  const title = `Run report: ${data.pipeline} / ${data.runId}`;
  const body = [
    header(data),
    failureBox(data),
    outcomes(data),
    errors(data),
    tokens(data),
    cost(data),
    retry(data),
    timeline(data),
    ...EXTRA_SECTIONS.map((key) => extraSection(key, data.extras?.[key])),
    warnings(data),
    `<footer>This page is self-contained: no script, nothing loaded from the network. Generated from the run's summary by bedrock-batch.</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function header(data: ReportData): string {
  const items: [string, string | undefined][] = [
    ['Run', data.runId],
    ['Pipeline', data.pipeline],
    ['Model', data.modelId],
    ['Mode', data.mode === undefined ? undefined : data.mode === 'on-demand' ? 'on demand' : 'batch'],
    [data.status === 'failed' ? 'Failure recorded' : 'Collected', data.at ? formatTime(data.at) : undefined],
  ];
  const meta = items
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<li>${e(k)}: <b>${e(v as string)}</b></li>`)
    .join('');
  return `<header>
<h1>Run report <span class="pill ${data.status}" id="run-status" data-status="${data.status}">${data.status}</span></h1>
<ul class="meta">${meta}</ul>
</header>`;
}

function failureBox(data: ReportData): string {
  if (data.failure === undefined) return '';
  const f = data.failure;
  return `<section class="failure" id="failure" data-code="${escapeAttr(f.code)}">
<p><code>${e(f.code)}</code>: ${e(f.message)}</p>
<p><b>What to do:</b> ${e(f.whatToDo)}</p>
</section>`;
}

function outcomes(data: ReportData): string {
  if (data.counts === undefined) {
    const p = data.prepared;
    const known = p
      ? `<p>Prepare read <b>${formatCount(p.rows)}</b> data rows: ${formatCount(p.records)} records to send, ${formatCount(p.rejected)} rejected.</p>`
      : '';
    return `<section id="outcomes"><h2>Rows</h2>${known}<p class="muted">The run ended before results were collected: there are no results files.</p></section>`;
  }
  const c = data.counts;
  const card = (key: 'input' | 'ok' | 'error' | 'rejected' | 'missing', label: string) =>
    `<div class="card ${key}" id="count-${key}" data-count="${key}" data-value="${c[key]}"><span class="n">${formatCount(c[key])}</span><span class="k">${e(label)}${key === 'input' ? '' : ` · ${formatPercent(c[key], c.input)}`}</span></div>`;
  return `<section id="outcomes">
<h2>Rows</h2>
<div class="cards">${card('input', 'input rows')}${card('ok', 'ok')}${card('error', 'error')}${card('rejected', 'rejected')}${card('missing', 'missing')}</div>
${outcomeBar(c)}
<p class="muted">Every input row is in results.csv exactly once: <b>ok</b> (answered), <b>error</b> (the model answered with an error or an answer that failed the checks), <b>rejected</b> (refused by Prepare before sending), <b>missing</b> (never answered).</p>
</section>`;
}

function sampleList(group: ErrorGroup): string {
  const s = group.sample;
  const cells = s.cells
    .map((cell) => `<dt>${e(cell.column)}</dt><dd class="cell">${e(cell.value)}</dd>`)
    .join('');
  return `<div>Row ${formatCount(s.row)}${s.recordId ? ` (<code>${e(s.recordId)}</code>)` : ''}, ${e(s.status)}: <span class="cell">${e(s.message)}</span></div>
<dl class="sample">${cells}</dl>`;
}

function errors(data: ReportData): string {
  if (data.counts === undefined && data.errors.length === 0) return '';
  if (data.errors.length === 0) {
    return `<section id="errors"><h2>Errors</h2><p>No row ended in error, rejected or missing.</p></section>`;
  }
  const rows = data.errors
    .map(
      (g) =>
        `<tr data-error-code="${escapeAttr(g.code)}" data-value="${g.count}"><td><code>${e(g.code)}</code><div class="muted">${e(g.statuses.join(', '))}</div></td><td class="num">${formatCount(g.count)}</td><td>${sampleList(g)}</td></tr>`,
    )
    .join('\n');
  const others = data.otherErrors
    ? `<p class="muted">${formatCount(data.otherErrors)} more rows have other codes (not listed).</p>`
    : '';
  return `<section id="errors">
<h2>Errors by code</h2>
<p class="muted">Each code with its number of rows and the first such row as an example (cells shortened). errors.csv lists every row.</p>
<div class="scroll"><table>
<thead><tr><th>Code</th><th class="num">Rows</th><th>First row</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>
${others}
</section>`;
}

function tokens(data: ReportData): string {
  const t = data.tokens;
  if (t === undefined) return '';
  const stats = (h: typeof t.perRow.input) =>
    h.count === 0
      ? '<p class="muted">No row reported this count.</p>'
      : `<p class="muted">${formatCount(h.count)} rows · min ${formatCount(h.min ?? 0)} · mean ${formatCount(h.mean ?? 0)} · max ${formatCount(h.max ?? 0)}</p>`;
  return `<section id="tokens">
<h2>Tokens</h2>
<p><b>${formatCount(t.input)}</b> input and <b>${formatCount(t.output)}</b> output tokens in all (what the bill counts). Per row, as the model reported them:</p>
<div class="two">
<div><h3>Input tokens per row</h3>${histogramChart(t.perRow.input, 'Input tokens', COLORS.batch)}${stats(t.perRow.input)}</div>
<div><h3>Output tokens per row</h3>${histogramChart(t.perRow.output, 'Output tokens', COLORS.onDemand)}${stats(t.perRow.output)}</div>
</div>
</section>`;
}

function cost(data: ReportData): string {
  const c = data.cost;
  if (c === undefined) return '';
  if (c.batchUsd === null && c.onDemandUsd === null) {
    return `<section id="cost"><h2>Cost</h2><p>This model has no price in the table: no cost is shown.</p></section>`;
  }
  let saving = '';
  if (c.batchUsd !== null && c.onDemandUsd !== null && c.onDemandUsd > 0) {
    const diff = c.onDemandUsd - c.batchUsd;
    saving =
      c.billed === 'batch'
        ? `<p>Batch pricing saved <b>${formatUsd(diff)}</b> (${formatPercent(diff, c.onDemandUsd)}) over the on-demand price.</p>`
        : `<p>The run went on demand; at the batch price it would have cost ${formatUsd(c.batchUsd)}.</p>`;
  }
  const asOf = c.pricesAsOf
    ? `<p class="muted">Prices as of ${e(c.pricesAsOf)}; Bedrock's bill is the reference.</p>`
    : '';
  return `<section id="cost">
<h2>Cost</h2>
${costChart(c)}
${saving}${asOf}
</section>`;
}

function retry(data: ReportData): string {
  const r = data.retry;
  if (r === undefined) {
    return data.counts === undefined
      ? ''
      : `<section id="retry"><h2>Second chance</h2><p class="muted">No second round was planned for this run.</p></section>`;
  }
  if (r.selected === 0) {
    return `<section id="retry"><h2>Second chance</h2><p>No row needed a second chance (nothing throttled, timed out or left unprocessed).</p></section>`;
  }
  const reasons = Object.entries(r.byReason)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${e(k)} ${formatCount(n)}`)
    .join(', ');
  const how =
    r.mode === 'batch'
      ? `${formatCount(r.jobs)} batch job(s)`
      : `${formatCount(r.jobs)} on-demand invocation(s)`;
  return `<section id="retry">
<h2>Second chance</h2>
<p>Rows that failed for a reason worth retrying went through one more round (${e(how)}).</p>
<dl class="figures">
<dt>Rows retried</dt><dd id="retry-selected" data-value="${r.selected}">${formatCount(r.selected)}${reasons ? ` (${reasons})` : ''}</dd>
<dt>Recovered (now ok)</dt><dd id="retry-recovered" data-value="${r.recovered}">${formatCount(r.recovered)} · ${formatPercent(r.recovered, r.selected)}</dd>
<dt>Still failing</dt><dd>${formatCount(r.stillFailing)}</dd>
<dt>Tokens</dt><dd>${formatCount(r.tokens.input)} in, ${formatCount(r.tokens.output)} out</dd>
<dt>Cost</dt><dd>${formatUsd(r.costUsd)}</dd>
</dl>
</section>`;
}

const EXTRA_TITLES: Record<ExtraSection, string> = {
  dedupe: 'Identical requests sent once',
  rerun: 'Re-run of what did not succeed',
  deadline: 'Deadline',
};

function figureValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? formatCount(value) : String(value);
  if (typeof value === 'string') return truncate(value, 300);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '–';
  return truncate(JSON.stringify(value), 300);
}

/**
 * An optional section: shown only when summary.json has its key, as the figures it holds (one line per
 * member; nested values as JSON text). Its feature decides the figures; this page only lists them.
 */
function extraSection(key: ExtraSection, value: unknown): string {
  if (value === undefined || value === null) return '';
  const entries =
    typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
      : [['value', value] as [string, unknown]];
  const figures = entries.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(figureValue(v))}</dd>`).join('');
  return `<!-- optional section: summary.json "${key}" -->
<section class="optional" id="extra-${key}" data-optional="${key}">
<h2>${e(EXTRA_TITLES[key])}</h2>
<dl class="figures">${figures}</dl>
</section>`;
}

function warnings(data: ReportData): string {
  if (!data.warnings || data.warnings.length === 0) return '';
  const items = data.warnings
    .map((w) => `<li><code>${e(w.code)}</code> × ${formatCount(w.count)}: ${e(w.message)}</li>`)
    .join('');
  return `<section id="warnings"><h2>Warnings</h2><p class="muted">Problems that did not stop the run.</p><ul>${items}</ul></section>`;
}
