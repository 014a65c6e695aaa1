/**
 * report.html: one self-contained page from a {@link ReportData}, with no script, no external style,
 * font or image, and a Content-Security-Policy that forbids every request (`default-src 'none'`) and
 * allows only the page's own style sheet (by its hash). Every value from the run goes through
 * {@link escapeHtml}: cells are hostile, and none is ever parsed as markup.
 *
 * The outcome counts carry `data-count="<status>"` and `data-value="<n>"` (ids `count-<status>`), so
 * a test or a scraper reads them without parsing the formatted text.
 */
import { createHash } from 'node:crypto';
import { type ErrorGroup, EXTRA_SECTIONS, type ExtraSection, type ReportData, type ReportJob } from './data';
import { escapeAttr, escapeHtml, truncate } from './escape';
import { formatCount, formatDuration, formatPercent, formatTime, formatUsd } from './format';
import {
  COLORS,
  costChart,
  histogramChart,
  jobLabel,
  outcomeBar,
  TIMELINE_MAX_JOBS,
  timelineChart,
} from './svg';

/** Jobs listed in the timeline's table at most. */
export const JOB_TABLE_MAX = 500;

const STYLE = `
:root{color-scheme:light;--fg:#263238;--muted:#546e7a;--line:#cfd8dc;--bg:#fff;--panel:#f5f7f8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
p{margin:6px 0}
.muted{color:var(--muted)}
.meta{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0 0;padding:0;list-style:none;color:var(--muted)}
.meta b{color:var(--fg);font-weight:600;overflow-wrap:anywhere}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;color:#fff;font-weight:600;font-size:.85rem;vertical-align:middle}
.pill.succeeded{background:${COLORS.ok}}
.pill.failed{background:${COLORS.error}}
.failure{border-left:4px solid ${COLORS.error};background:#fdecea;padding:10px 14px;margin:16px 0}
.failure code{font-weight:700}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:10px;margin:10px 0}
.card{background:var(--panel);border-radius:6px;padding:10px 12px;border-top:4px solid var(--line)}
.card .n{display:block;font-size:1.5rem;font-weight:700;font-variant-numeric:tabular-nums}
.card .k{color:var(--muted)}
.card.ok{border-top-color:${COLORS.ok}}
.card.error{border-top-color:${COLORS.error}}
.card.rejected{border-top-color:${COLORS.rejected}}
.card.missing{border-top-color:${COLORS.missing}}
.chart{display:block;width:100%;max-width:900px;overflow:visible}
.two .chart{max-width:none}
.two{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.two h3{font-size:1rem;margin:8px 0 2px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.time{white-space:nowrap}
code,.cell{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.cell{white-space:pre-wrap;overflow-wrap:anywhere}
dl.sample{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0 0}
dl.sample dt{color:var(--muted);overflow-wrap:anywhere;max-width:14em}
dl.sample dd{margin:0;min-width:0}
.figures{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
.figures dt{color:var(--muted)}
.figures dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.optional{border:1px dashed var(--line);border-radius:6px;padding:4px 14px 10px;margin-top:18px}
.optional h2{border:0;margin-top:10px}
footer{margin:32px 0 8px;color:var(--muted);font-size:.85rem}
@media (max-width:700px){
main{padding:10px}
.cards{grid-template-columns:repeat(2,minmax(0,1fr))}
.cards .card:first-child{grid-column:1/-1}
.two{grid-template-columns:1fr}
dl.sample,.figures{grid-template-columns:1fr}
dl.sample dt{max-width:none}
th,td{padding:4px 5px}
}
`;

/** The style sheet's CSP source: the SHA-256 of the exact text between the style tags. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: nothing may load; only the page's own style sheet applies. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; font-src 'none'; connect-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;

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

function jobRow(job: ReportJob): string {
  const duration = (from?: string, to?: string) =>
    from !== undefined && to !== undefined ? formatDuration(Date.parse(to) - Date.parse(from)) : '–';
  const rows = job.rows
    ? `${formatCount(job.rows.records)} (${formatCount(job.rows.ok)} ok, ${formatCount(job.rows.error)} error, ${formatCount(job.rows.missing)} missing)`
    : '–';
  const status = job.failureCode
    ? `${job.status ?? 'no job'} · ${job.failureCode}`
    : (job.status ?? 'no job');
  return `<tr><td class="time">${e(jobLabel(job))}</td><td>${e(status)}</td><td class="time">${e(formatTime(job.submitted))}</td><td class="time">${e(formatTime(job.started))}</td><td class="time">${e(formatTime(job.ended))}</td><td class="num time">${e(duration(job.submitted, job.ended))}</td><td>${rows}</td></tr>`;
}

function timeline(data: ReportData): string {
  if (data.jobs.length === 0) {
    return data.counts === undefined
      ? ''
      : `<section id="jobs"><h2>Jobs</h2><p class="muted">No job ran.</p></section>`;
  }
  const drawn =
    data.jobs.length > TIMELINE_MAX_JOBS
      ? `<p class="muted">The first ${TIMELINE_MAX_JOBS} of ${formatCount(data.jobs.length)} jobs are drawn.</p>`
      : '';
  const listed =
    data.jobs.length > JOB_TABLE_MAX
      ? `<p class="muted">The first ${JOB_TABLE_MAX} of ${formatCount(data.jobs.length)} jobs are listed; summary.json has them all.</p>`
      : '';
  return `<section id="jobs">
<h2>Jobs</h2>
<p class="muted">One line per job: grey while queued (submitted, not yet seen running), then coloured while it ran, by how it ended (green completed, orange partial or stopped, red failed). A job first seen already finished is one lighter bar. Times are Bedrock's.</p>
${timelineChart(data.jobs)}
${drawn}
<div class="scroll"><table>
<thead><tr><th>Job</th><th>Status</th><th>Submitted</th><th>Started</th><th>Ended</th><th class="num">Took</th><th>Rows</th></tr></thead>
<tbody>
${data.jobs.slice(0, JOB_TABLE_MAX).map(jobRow).join('\n')}
</tbody></table></div>
${listed}
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
