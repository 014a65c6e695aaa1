import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../lambda/core/collect/run';
import {
  CONTENT_SECURITY_POLICY,
  type ReportData,
  ReportRows,
  renderReport,
  reportFromCollect,
  reportFromFailure,
} from '../../../lambda/core/report';

/** Cells an attacker (or an unlucky export) could put in a CSV. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  '</style><script>alert(3)</script>',
  "' onmouseover='alert(4)",
  '=HYPERLINK("http://evil.example/","click")',
  '<!-- --><svg onload=alert(5)>',
  '</textarea></title></table>',
  'café 日本 😀 \u202Eevil\u202C',
  'nul\u0000 and lone \uD800 surrogate',
  '<a href="javascript:alert(6)">x</a>',
];

/** Every tag the page may contain: anything else would be markup that came from a cell. */
const ALLOWED_TAGS = new Set(
  'html head meta title style body main header h1 h2 h3 span ul li b section p code div table thead tbody tr th td dl dt dd svg rect line text footer'.split(
    ' ',
  ),
);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'conversations-0123456789ab',
    pipeline: 'qa-auditor',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    invocationType: 'InvokeModel',
    mode: 'batch',
    outputFormat: 'json',
    createdAt: '2026-12-01T06:30:00.000Z',
    resultsPrefix: 'results/qa-auditor/conversations-0123456789ab/',
    counts: { input: 12, ok: 2, error: 4, rejected: 3, missing: 3 },
    tokens: { input: 1000, output: 200 },
    cost: { batchUsd: 0.000375, onDemandUsd: 0.00075, pricesAsOf: '2026-01-01' },
    jobs: [
      {
        shard: 1,
        jobArn: 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc',
        status: 'PartiallyCompleted',
        records: 9,
        ok: 2,
        error: 4,
        missing: 3,
        tokens: { input: 1000, output: 200 },
      },
    ],
    warnings: [],
    ...overrides,
  };
}

function hostileReport(): ReportData {
  const header = ['id', '<b>text</b>', '"><svg onload=alert(7)>'];
  const rows = new ReportRows(header);
  // One code per hostile cell, so each is a sample row; CODE_0 and CODE_1 come back later.
  [...HOSTILE.keys(), 0, 0, 1].forEach((i, n) => {
    const cell = HOSTILE[i]!;
    rows.observe(
      { row: n + 1, recordId: `<r${i}>`, cells: [String(i), cell, cell] },
      {
        status: i % 3 === 0 ? 'error' : i % 3 === 1 ? 'rejected' : 'missing',
        errorCode: `CODE_${i}<i>`,
        errorMessage: cell,
        inputTokens: 10 * n,
        outputTokens: n,
      },
    );
  });
  return reportFromCollect({
    summary: summary({ pipeline: '<script>p</script>' }),
    rows: rows.snapshot(),
    jobs: [
      {
        shard: 1,
        jobArn: 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc',
        status: 'PartiallyCompleted',
        counters: {
          totalRecordCount: 9,
          processedRecordCount: 6,
          successRecordCount: 2,
          errorRecordCount: 4,
        },
        times: {
          submitted: '2026-12-01T06:00:00.000Z',
          started: '2026-12-01T06:10:00.000Z',
          ended: '2026-12-01T06:25:00.000Z',
        },
      },
    ],
    retryJobs: [],
  });
}

describe('renderReport: cells are hostile', () => {
  const html = renderReport(hostileReport());

  it('renders no markup from any cell, header, code, message or id', () => {
    const foreign = tagsOf(html).filter((tag) => !ALLOWED_TAGS.has(tag));
    expect(foreign).toEqual([]);
    expect(html).not.toMatch(/<script|<img|<svg onload|<a |<!-- --><svg/i);
    // No event handler or URL attribute in any real tag (the cells' text is outside tags, escaped).
    for (const tag of html.match(/<[a-zA-Z][^>]*>/g)!) expect(tag).not.toMatch(/\s(on\w+|src|href)=/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('shows the cells as text: escaped, truncated cells decode back to what the row held', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example/&quot;,&quot;click&quot;)');
    expect(html).toContain('café 日本 😀');
    expect(html).toContain('nul\uFFFD and lone \uFFFD surrogate');
    expect(html).toContain('&lt;b&gt;text&lt;/b&gt;');
    expect(html).toContain('CODE_0&lt;i&gt;');
  });

  it('has a strict Content-Security-Policy: nothing loads, no script, only its own style sheet by hash', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replaceAll("'", '&#39;')}">`,
    );
    expect(html).not.toMatch(/ style=/);
    expect(html).not.toMatch(/\s(src|href)="/);
  });
});

describe('renderReport: the sections', () => {
  it('gives each outcome count a data attribute equal to summary.json', () => {
    const html = renderReport(hostileReport());
    for (const [key, value] of Object.entries({ input: 12, ok: 2, error: 4, rejected: 3, missing: 3 })) {
      expect(html).toContain(`id="count-${key}" data-count="${key}" data-value="${value}"`);
    }
  });

  it('lists error codes by count, most first, each with a sample row', () => {
    const html = renderReport(hostileReport());
    const codes = [...html.matchAll(/data-error-code="([^"]*)" data-value="(\d+)"/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(codes).toEqual([
      ['CODE_0&lt;i&gt;', '3'],
      ['CODE_1&lt;i&gt;', '2'],
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((i) => [`CODE_${i}&lt;i&gt;`, '1']),
    ]);
  });

  it('draws the token histograms, the cost bars and one timeline line per job', () => {
    const html = renderReport(hostileReport());
    expect(html).toContain('Input tokens per row');
    expect(html).toContain('$0.000375');
    expect(html).toContain('$0.00075');
    expect(html).toContain('Batch pricing saved <b>$0.000375</b> (50.0%)');
    expect(html).toContain(
      '<td class="time">shard 1</td><td>PartiallyCompleted</td><td class="time">2026-12-01 06:00:00 UTC</td>',
    );
    expect(html).toContain('25 min 00 s');
    expect(html.match(/<svg /g)!.length).toBe(5); // outcome bar, 2 histograms, cost, timeline
  });

  it('shows the second chance: rows retried and recovered', () => {
    const rows = new ReportRows(['id']);
    const data = reportFromCollect({
      summary: summary({
        retry: {
          mode: 'on-demand',
          selected: 4,
          byReason: { throttled: 3, 'server-error': 1, timeout: 0, 'not-processed': 0 },
          recovered: 3,
          stillFailing: 1,
          jobs: 1,
          tokens: { input: 40, output: 8 },
          costUsd: 0.00002,
        },
      }),
      rows: rows.snapshot(),
      jobs: [],
      retryJobs: [{ shard: 1, jobArn: 'on-demand/x', status: 'Completed', counters: {} as never }],
    });
    const html = renderReport(data);
    expect(html).toContain('id="retry-selected" data-value="4"');
    expect(html).toContain('id="retry-recovered" data-value="3"');
    expect(html).toContain('throttled 3, server-error 1');
    expect(html).toContain('<td class="time">retry 1</td>');
  });

  it('renders the optional dedupe, re-run and deadline sections only when summary.json has them', () => {
    const rows = new ReportRows(['id']);
    const without = renderReport(
      reportFromCollect({ summary: summary(), rows: rows.snapshot(), jobs: [], retryJobs: [] }),
    );
    expect(without).not.toContain('data-optional');
    const withExtras = {
      ...summary(),
      dedupe: { duplicateRows: 5, savedTokens: { input: 120, output: 40 }, savedUsd: 0.25 },
      deadline: { met: true },
    } satisfies RunSummary & { deadline: unknown };
    const html = renderReport(
      reportFromCollect({
        summary: withExtras as RunSummary,
        rows: rows.snapshot(),
        jobs: [],
        retryJobs: [],
      }),
    );
    expect(html).toContain('data-optional="dedupe"');
    expect(html).toContain('<dt>duplicateRows</dt><dd>5</dd>');
    expect(html).toContain('<dt>savedUsd</dt><dd>0.25</dd>');
    expect(html).toContain('data-optional="deadline"');
    expect(html).toContain('<dt>met</dt><dd>yes</dd>');
    expect(html).not.toContain('data-optional="rerun"');
  });

  it('renders a re-run section with the previous run and the rows carried over', () => {
    const withRerun = {
      ...summary(),
      rerun: { previousRunId: 'run-previous-1', reusedRows: 7 },
    } satisfies RunSummary;
    const html = renderReport(
      reportFromCollect({
        summary: withRerun,
        rows: new ReportRows(['id']).snapshot(),
        jobs: [],
        retryJobs: [],
      }),
    );
    expect(html).toContain('data-optional="rerun"');
    expect(html).toContain('<dt>previousRunId</dt><dd>run-previous-1</dd>');
    expect(html).toContain('<dt>reusedRows</dt><dd>7</dd>');
    expect(html).not.toContain('data-optional="dedupe"');
  });

  it("shows a failed job's code on its line and the run's failure when a shard's job failed", () => {
    const data = reportFromCollect({
      summary: summary(),
      rows: new ReportRows(['id']).snapshot(),
      jobs: [
        {
          shard: 1,
          jobArn: 'arn:x/abc',
          status: 'Failed',
          error: { Error: 'JobFailedError', Cause: 'boom' },
        },
      ],
      retryJobs: [],
      failure: {
        code: 'JOB_FAILED',
        message: 'Bedrock job failed: <bad>',
        whatToDo: 'Fix the cause.',
        retryable: false,
      },
      failureCode: () => 'JOB_FAILED',
    });
    const html = renderReport(data);
    expect(html).toContain('data-status="failed"');
    expect(html).toContain('id="failure" data-code="JOB_FAILED"');
    expect(html).toContain('Bedrock job failed: &lt;bad&gt;');
    expect(html).toContain('<td>PartiallyCompleted · JOB_FAILED</td>');
    expect(html).toContain('times not recorded');
  });

  it('renders an empty run without dividing by zero or drawing empty charts', () => {
    const data = reportFromCollect({
      summary: summary({
        counts: { input: 0, ok: 0, error: 0, rejected: 0, missing: 0 },
        tokens: { input: 0, output: 0 },
        jobs: [],
      }),
      rows: new ReportRows([]).snapshot(),
      jobs: [],
      retryJobs: [],
    });
    const html = renderReport(data);
    expect(html).toContain('data-count="input" data-value="0"');
    expect(html).toContain('No token counts in this run');
    expect(html).toContain('No row ended in error, rejected or missing.');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('renders a run that failed before Collect: the failure, what Prepare counted, no results', () => {
    const html = renderReport(
      reportFromFailure({
        runId: 'x-0123456789ab',
        pipeline: 'qa',
        failure: {
          code: 'INVALID_CSV',
          message: 'Unclosed quote at line 3: <"oops>',
          whatToDo: 'Fix it.',
          retryable: false,
        },
        prepared: { rows: 10, records: 0, rejected: 0 },
        at: '2026-12-01T07:00:00.000Z',
      }),
    );
    expect(html).toContain('data-status="failed"');
    expect(html).toContain('id="failure" data-code="INVALID_CSV"');
    expect(html).toContain('Unclosed quote at line 3: &lt;&quot;oops&gt;');
    expect(html).toContain('Prepare read <b>10</b> data rows');
    expect(html).not.toContain('data-count=');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });
});
