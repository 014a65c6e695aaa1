/**
 * The report's charts as inline SVG strings, drawn by hand (a few rectangles and labels each: a chart
 * library would be larger than the page and would need a script). Every text goes through
 * {@link escapeHtml}; colours and sizes are presentation attributes, not `style` attributes, so the
 * page's Content-Security-Policy can refuse inline styles other than its one style sheet. Each chart
 * is as wide as its container (shapes in percent, text in pixels), so it fits a phone as well as a
 * desktop window with its text at the same size.
 */
import type { RowCounts } from '../contract/types';
import type { ReportCost, ReportJob } from './data';
import { escapeAttr, escapeHtml } from './escape';
import { formatCount, formatDuration, formatUsd } from './format';
import type { HistogramSnapshot } from './histogram';

/** Colours by row status and job status. */
export const COLORS = {
  ok: '#2e7d32',
  error: '#c62828',
  rejected: '#ef6c00',
  missing: '#757575',
  batch: '#1565c0',
  onDemand: '#8e24aa',
  queued: '#cfd8dc',
  axis: '#546e7a',
} as const;

/** Jobs drawn on the timeline at most; the table below it lists them all up to its own limit. */
export const TIMELINE_MAX_JOBS = 100;

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

/**
 * An SVG as wide as its container with a fixed height and no `viewBox`: shapes are placed in percent
 * of the width and text in pixels, so the text keeps its size on a phone and on a wide screen.
 */
function svgOpen(height: number, label: string): string {
  return `<svg class="chart" width="100%" height="${height}" role="img" aria-label="${escapeAttr(label)}" xmlns="http://www.w3.org/2000/svg" ${FONT} font-size="13">`;
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A percentage of the chart's width. */
function pct(value: number): string {
  return `${num(value)}%`;
}

function text(x: string, y: number, body: string, attrs = ''): string {
  return `<text x="${x}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${escapeHtml(body)}</text>`;
}

const LABEL = 'fill="#37474f"';

/** One horizontal bar split by row status, in the order ok, error, rejected, missing. */
export function outcomeBar(counts: RowCounts): string {
  const parts = (['ok', 'error', 'rejected', 'missing'] as const).filter((k) => counts[k] > 0);
  const total = parts.reduce((sum, k) => sum + counts[k], 0);
  const label = `Rows: ${parts.map((k) => `${formatCount(counts[k])} ${k}`).join(', ') || 'none'}`;
  let out = svgOpen(24, label);
  if (total === 0) out += `<rect x="0" y="2" width="100%" height="20" fill="${COLORS.queued}"/>`;
  let x = 0;
  for (const k of parts) {
    const w = (100 * counts[k]) / total;
    out += `<rect x="${pct(x)}" y="2" width="${pct(w)}" height="20" fill="${COLORS[k]}"><title>${escapeHtml(`${k}: ${formatCount(counts[k])}`)}</title></rect>`;
    x += w;
  }
  return `${out}</svg>`;
}

/** A histogram of tokens per row; an empty one says so instead of drawing. */
export function histogramChart(h: HistogramSnapshot, what: string, color: string): string {
  const height = 180;
  const left = 11;
  const right = 99;
  const top = 10;
  const plotH = height - top - 40;
  const plotW = right - left;
  const label = `${what} per row: ${formatCount(h.count)} rows, from ${h.min ?? '–'} to ${h.max ?? '–'}`;
  let out = svgOpen(height, label);
  if (h.bins.length === 0) {
    return `${out}${text('50%', height / 2, 'No token counts in this run', 'text-anchor="middle" fill="#546e7a"')}</svg>`;
  }
  const peak = Math.max(...h.bins.map((b) => b.count));
  const barW = plotW / h.bins.length;
  const base = top + plotH;
  out += `<line x1="${pct(left)}" y1="${base}" x2="${pct(right)}" y2="${base}" stroke="${COLORS.axis}"/>`;
  out += `<line x1="${pct(left)}" y1="${top}" x2="${pct(left)}" y2="${base}" stroke="${COLORS.axis}"/>`;
  out += text(pct(left - 1), top + 10, formatCount(peak), `text-anchor="end" ${LABEL}`);
  out += text(pct(left - 1), base, '0', `text-anchor="end" ${LABEL}`);
  const gap = barW > 1.5 ? 0.25 : 0;
  h.bins.forEach((bin, i) => {
    const barH = bin.count === 0 ? 0 : Math.max(1, (plotH * bin.count) / peak);
    const range = bin.to - bin.from === 1 ? `${bin.from}` : `${bin.from}–${bin.to - 1}`;
    out += `<rect x="${pct(left + i * barW + gap)}" y="${num(base - barH)}" width="${pct(Math.max(0.1, barW - 2 * gap))}" height="${num(barH)}" fill="${color}"><title>${escapeHtml(`${range} tokens: ${formatCount(bin.count)} rows`)}</title></rect>`;
  });
  const first = h.bins[0]!;
  const last = h.bins[h.bins.length - 1]!;
  const axisY = base + 15;
  out += text(pct(left), axisY, formatCount(first.from), LABEL);
  out += text(pct(right), axisY, formatCount(last.to), `text-anchor="end" ${LABEL}`);
  if (h.bins.length >= 6) {
    const middle = Math.floor(h.bins.length / 2);
    out += text(
      pct(left + middle * barW),
      axisY,
      formatCount(h.bins[middle]!.from),
      `text-anchor="middle" ${LABEL}`,
    );
  }
  out += text(
    pct(left + plotW / 2),
    height - 4,
    `tokens (bins of ${formatCount(h.binWidth)})`,
    'text-anchor="middle" fill="#546e7a"',
  );
  return `${out}</svg>`;
}

/** Two bars, each under its label: the run's tokens at the batch price and at the on-demand price. */
export function costChart(cost: ReportCost): string {
  const rows = [
    { name: 'Batch price', value: cost.batchUsd, color: COLORS.batch },
    { name: 'On-demand price', value: cost.onDemandUsd, color: COLORS.onDemand },
  ];
  const peak = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const label = rows.map((r) => `${r.name} ${formatUsd(r.value)}`).join(', ');
  let out = svgOpen(rows.length * 46, label);
  rows.forEach((r, i) => {
    const y = i * 46;
    const w = peak > 0 && r.value !== null ? Math.max(0.5, (100 * r.value) / peak) : 0;
    const billed = (cost.billed === 'batch') === (i === 0);
    out += text(
      '0',
      y + 14,
      `${r.name}${billed ? ' (billed)' : ''}: ${formatUsd(r.value)}`,
      `fill="#263238"${billed ? ' font-weight="600"' : ''}`,
    );
    out += `<rect x="0" y="${y + 20}" width="${pct(w)}" height="18" fill="${r.color}"${billed ? '' : ' fill-opacity="0.45"'}/>`;
  });
  return `${out}</svg>`;
}

function statusColor(status: string | null, failed: boolean): string {
  if (failed || status === 'Failed' || status === 'Expired') return COLORS.error;
  if (status === 'Completed') return COLORS.ok;
  if (status === 'PartiallyCompleted' || status === 'Stopped') return COLORS.rejected;
  return COLORS.missing;
}

/** The job's name on the timeline: `shard 3`, or `retry 2` in the second round. */
export function jobLabel(job: ReportJob): string {
  return `${job.round === 1 ? 'shard' : 'retry'} ${job.number}`;
}

/**
 * One line per job: queued (submitted to first seen running) in grey, running (to its end) in its
 * status colour; a job whose start was not observed is one lighter bar from submission to end. Jobs
 * without times are listed with a note instead of a bar. At most {@link TIMELINE_MAX_JOBS} lines.
 */
export function timelineChart(jobs: readonly ReportJob[]): string {
  const shown = jobs.slice(0, TIMELINE_MAX_JOBS);
  const times = shown.flatMap((j) => [j.submitted, j.started, j.ended].filter((t) => t !== undefined));
  const ms = times.map((t) => Date.parse(t as string)).filter((t) => !Number.isNaN(t));
  const left = 16;
  const right = 99;
  const rowH = 20;
  const top = 24;
  const plotW = right - left;
  const start = ms.length > 0 ? Math.min(...ms) : 0;
  const end = ms.length > 0 ? Math.max(...ms) : 0;
  const span = Math.max(1, end - start);
  const x = (iso: string | undefined) => {
    const t = iso === undefined ? Number.NaN : Date.parse(iso);
    return Number.isNaN(t) ? undefined : left + (plotW * (t - start)) / span;
  };
  let out = svgOpen(top + rowH * shown.length + 6, `Timeline of ${shown.length} job(s)`);
  out += text(pct(left), 14, '0', LABEL);
  out += text(
    pct(right),
    14,
    ms.length > 0 ? `+${formatDuration(end - start)}` : '',
    `text-anchor="end" ${LABEL}`,
  );
  out += `<line x1="${pct(left)}" y1="${top - 4}" x2="${pct(right)}" y2="${top - 4}" stroke="${COLORS.axis}"/>`;
  shown.forEach((job, i) => {
    const y = top + i * rowH;
    out += text('0', y + 13, jobLabel(job), 'fill="#263238"');
    const color = statusColor(job.status, job.failureCode !== undefined);
    const submitted = x(job.submitted);
    const started = x(job.started);
    const ended = x(job.ended);
    const title = `<title>${escapeHtml(`${jobLabel(job)}: ${job.status ?? job.failureCode ?? 'no job'}`)}</title>`;
    if (submitted === undefined && ended === undefined) {
      out += text(pct(left), y + 13, 'times not recorded', 'fill="#78909c" font-style="italic"');
      return;
    }
    const from = submitted ?? started ?? (ended as number);
    const to = ended ?? started ?? from;
    if (started !== undefined && submitted !== undefined && started > submitted) {
      out += `<rect x="${pct(submitted)}" y="${y + 3}" width="${pct(started - submitted)}" height="14" fill="${COLORS.queued}"/>`;
    }
    const runFrom = started ?? from;
    const light = started === undefined ? ' fill-opacity="0.55"' : '';
    out += `<rect x="${pct(runFrom)}" y="${y + 3}" width="${pct(Math.max(0.3, to - runFrom))}" height="14" fill="${color}"${light}>${title}</rect>`;
  });
  return `${out}</svg>`;
}
