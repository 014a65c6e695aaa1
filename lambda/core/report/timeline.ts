/** report.html's Jobs section: the timeline chart and the table of jobs with their times and rows. */
import type { ReportData, ReportJob } from './data';
import { escapeHtml as e } from './escape';
import { formatCount, formatDuration, formatTime } from './format';
import { jobLabel, TIMELINE_MAX_JOBS, timelineChart } from './svg';

/** Jobs listed in the timeline's table at most. */
const JOB_TABLE_MAX = 500;

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

/** The Jobs section; empty when the run stopped before it had counts. */
export function timeline(data: ReportData): string {
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
