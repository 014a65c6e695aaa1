/**
 * The report's charts as inline SVG strings, drawn by hand (a few rectangles and labels each: a chart
 * library would be larger than the page and would need a script). Every text goes through
 * {@link escapeHtml}; colours and sizes are presentation attributes, not `style` attributes, so the
 * page's Content-Security-Policy can refuse inline styles other than its one style sheet. Each chart
 * scales to its container's width (`viewBox`), so it fits a phone as well as a desktop window.
 */
import type { RowCounts } from '../types';
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

function svgOpen(width: number, height: number, label: string): string {
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeAttr(label)}" xmlns="http://www.w3.org/2000/svg" ${FONT} font-size="12">`;
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ''}>${escapeHtml(body)}</text>`;
}

/** One horizontal bar split by row status, in the order ok, error, rejected, missing. */
export function outcomeBar(counts: RowCounts): string {
  const width = 600;
  const parts = (['ok', 'error', 'rejected', 'missing'] as const).filter((k) => counts[k] > 0);
  const total = parts.reduce((sum, k) => sum + counts[k], 0);
  const label = `Rows: ${parts.map((k) => `${formatCount(counts[k])} ${k}`).join(', ') || 'none'}`;
  let out = svgOpen(width, 24, label);
  if (total === 0) {
    out += `<rect x="0" y="2" width="${width}" height="20" fill="${COLORS.queued}"/>`;
  }
  let x = 0;
  for (const k of parts) {
    const w = (width * counts[k]) / total;
    out += `<rect x="${num(x)}" y="2" width="${num(w)}" height="20" fill="${COLORS[k]}"><title>${escapeHtml(`${k}: ${formatCount(counts[k])}`)}</title></rect>`;
    x += w;
  }
  return `${out}</svg>`;
}

/** A histogram of tokens per row; an empty one says so instead of drawing. */
export function histogramChart(h: HistogramSnapshot, what: string, color: string): string {
  const width = 600;
  const height = 190;
  const left = 48;
  const right = 10;
  const top = 12;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const label = `${what} per row: ${formatCount(h.count)} rows, from ${h.min ?? '–'} to ${h.max ?? '–'}`;
  let out = svgOpen(width, height, label);
  if (h.bins.length === 0) {
    return `${out}${text(width / 2, height / 2, 'No token counts in this run', 'text-anchor="middle" fill="#546e7a"')}</svg>`;
  }
  const peak = Math.max(...h.bins.map((b) => b.count));
  const barW = plotW / h.bins.length;
  out += `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="${COLORS.axis}"/>`;
  out += `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="${COLORS.axis}"/>`;
  out += text(left - 6, top + 10, formatCount(peak), 'text-anchor="end" fill="#37474f"');
  out += text(left - 6, top + plotH, '0', 'text-anchor="end" fill="#37474f"');
  h.bins.forEach((bin, i) => {
    const barH = bin.count === 0 ? 0 : Math.max(1, (plotH * bin.count) / peak);
    const x = left + i * barW;
    const range = bin.to - bin.from === 1 ? `${bin.from}` : `${bin.from}–${bin.to - 1}`;
    out += `<rect x="${num(x + 0.5)}" y="${num(top + plotH - barH)}" width="${num(Math.max(0.5, barW - 1))}" height="${num(barH)}" fill="${color}"><title>${escapeHtml(`${range} tokens: ${formatCount(bin.count)} rows`)}</title></rect>`;
  });
  const first = h.bins[0]!;
  const last = h.bins[h.bins.length - 1]!;
  const axisY = top + plotH + 16;
  out += text(left, axisY, formatCount(first.from), 'fill="#37474f"');
  out += text(width - right, axisY, formatCount(last.to), 'text-anchor="end" fill="#37474f"');
  if (h.bins.length >= 4) {
    const mid = h.bins[Math.floor(h.bins.length / 2)]!;
    out += text(
      left + Math.floor(h.bins.length / 2) * barW,
      axisY,
      formatCount(mid.from),
      'text-anchor="middle" fill="#37474f"',
    );
  }
  out += text(
    left + plotW / 2,
    height - 4,
    `${what} per row (bins of ${formatCount(h.binWidth)})`,
    'text-anchor="middle" fill="#546e7a"',
  );
  return `${out}</svg>`;
}

/** Two bars: the run's tokens at the batch price and at the on-demand price. */
export function costChart(cost: ReportCost): string {
  const width = 600;
  const rows = [
    { name: 'Batch price', value: cost.batchUsd, color: COLORS.batch },
    { name: 'On-demand price', value: cost.onDemandUsd, color: COLORS.onDemand },
  ];
  const peak = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const left = 130;
  const plotW = width - left - 90;
  const label = rows.map((r) => `${r.name} ${formatUsd(r.value)}`).join(', ');
  let out = svgOpen(width, 70, label);
  rows.forEach((r, i) => {
    const y = 6 + i * 32;
    const w = peak > 0 && r.value !== null ? Math.max(1, (plotW * r.value) / peak) : 0;
    const billed = (cost.billed === 'batch') === (i === 0) ? ' (billed)' : '';
    out += text(0, y + 16, `${r.name}${billed}`, 'fill="#263238"');
    out += `<rect x="${left}" y="${y}" width="${num(w)}" height="22" fill="${r.color}"${billed ? '' : ' fill-opacity="0.45"'}/>`;
    out += text(left + w + 6, y + 16, formatUsd(r.value), 'fill="#263238" font-weight="600"');
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
  const width = 600;
  const left = 70;
  const right = 12;
  const rowH = 18;
  const top = 22;
  const height = top + rowH * shown.length + 8;
  const plotW = width - left - right;
  const start = ms.length > 0 ? Math.min(...ms) : 0;
  const end = ms.length > 0 ? Math.max(...ms) : 0;
  const span = Math.max(1, end - start);
  const x = (iso: string | undefined) => {
    const t = iso === undefined ? Number.NaN : Date.parse(iso);
    return Number.isNaN(t) ? undefined : left + (plotW * (t - start)) / span;
  };
  let out = svgOpen(width, height, `Timeline of ${shown.length} job(s)`);
  out += text(left, 14, '0', 'fill="#37474f"');
  out += text(
    width - right,
    14,
    ms.length > 0 ? `+${formatDuration(end - start)}` : '',
    'text-anchor="end" fill="#37474f"',
  );
  out += `<line x1="${left}" y1="${top - 4}" x2="${width - right}" y2="${top - 4}" stroke="${COLORS.axis}"/>`;
  shown.forEach((job, i) => {
    const y = top + i * rowH;
    out += text(0, y + 12, jobLabel(job), 'fill="#263238"');
    const color = statusColor(job.status, job.failureCode !== undefined);
    const submitted = x(job.submitted);
    const started = x(job.started);
    const ended = x(job.ended);
    const title = `<title>${escapeHtml(`${jobLabel(job)}: ${job.status ?? job.failureCode ?? 'no job'}`)}</title>`;
    if (submitted === undefined && ended === undefined) {
      out += text(left, y + 12, 'times not recorded', 'fill="#78909c" font-style="italic"');
      return;
    }
    const from = submitted ?? started ?? (ended as number);
    const to = ended ?? started ?? from;
    if (started !== undefined && submitted !== undefined && started > submitted) {
      out += `<rect x="${num(submitted)}" y="${y + 3}" width="${num(started - submitted)}" height="12" fill="${COLORS.queued}"/>`;
    }
    const runFrom = started ?? from;
    const light = started === undefined ? ' fill-opacity="0.55"' : '';
    out += `<rect x="${num(runFrom)}" y="${y + 3}" width="${num(Math.max(2, to - runFrom))}" height="12" fill="${color}"${light}>${title}</rect>`;
  });
  return `${out}</svg>`;
}
