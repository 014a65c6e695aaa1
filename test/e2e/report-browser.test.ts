/**
 * report.html in a real browser: `bedrock-batch local` runs examples/conversations.csv (plus hostile rows)
 * through pipelines/qa-auditor.json with faults that leave errors, a partial job and a second round;
 * headless Chromium (from the @sparticuz/chromium npm package: the binary ships in the tarball, nothing
 * is downloaded) opens the page from disk. Any request other than the page itself, any console error or
 * page error fails the test; the counts on the page must equal summary.json's. Screenshots at 1,280 px
 * and at phone width go to test-output/report/ (git-ignored), printed by the test.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main';
import { capture } from '../helpers/capture';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** Where the screenshots go (git-ignored). */
const OUTPUT = join(ROOT, 'test-output', 'report');

/** Rows no report may render as markup: two the model answers, one Prepare rejects (three cells). */
const HOSTILE_ROWS = [
  '"<script>alert(1)</script>","""><img src=x onerror=alert(2)>"',
  '"</style><b>bold?</b>","=HYPERLINK(""http://example.invalid/"",""click"")"',
  '"</style><script>alert(3)</script>","""><img src=x onerror=alert(4)>",café 😀 \u202Eevil',
];

/** Every flag that keeps Chromium from reaching out on its own (updates, sync, metrics, field trials). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-pings',
  '--metrics-recording-only',
  '--font-render-hinting=none',
];

interface SummaryCounts {
  readonly counts: Record<'input' | 'ok' | 'error' | 'rejected' | 'missing', number>;
  readonly retry?: { readonly selected: number; readonly recovered: number };
  readonly jobs: readonly unknown[];
}

describe('report.html of a local run, in headless Chromium', () => {
  let work: string;
  let out: string;
  let stdout: string;
  let browser: Browser;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'report-browser-'));
    const csv = join(work, 'conversations.csv');
    copyFileSync(join(ROOT, 'examples', 'conversations.csv'), csv);
    writeFileSync(csv, `${readFileSync(csv, 'utf8').trimEnd()}\r\n${HOSTILE_ROWS.join('\r\n')}\r\n`);
    const faults = join(work, 'faults.json');
    writeFileSync(
      faults,
      JSON.stringify({ recordErrorRate: 0.04, finalStatus: 'PartiallyCompleted', finalStatusTimes: 1 }),
    );
    out = join(work, 'out');
    const io = capture();
    const code = await main([
      'local',
      csv,
      '--pipeline',
      join(ROOT, 'pipelines', 'qa-auditor.json'),
      '--out',
      out,
      '--faults',
      faults,
    ]);
    stdout = io.out();
    vi.restoreAllMocks();
    expect(code, stdout).toBe(0);
    browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      headless: 'shell',
      userDataDir: join(work, 'profile'),
      args: CHROMIUM_ARGS,
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Opens report.html at `width` px, failing every request that is not the page itself. */
  async function open(width: number, height: number, mobile: boolean): Promise<Page> {
    const page = await browser.newPage();
    const url = pathToFileURL(join(out, 'report.html')).href;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn')
        problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      if (request.url() === url) void request.continue();
      else void request.abort('blockedbyclient');
    });
    await page.setViewport({ width, height, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  it("prints where the report is, opens without a request or an error, and shows summary.json's counts", async () => {
    expect(stdout).toContain(`report:  ${out}/report.html`);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryCounts;
    const page = await open(1280, 900, false);
    const shown = await page.$$eval('[data-count]', (cards) =>
      cards.map((card) => [
        card.getAttribute('data-count'),
        Number(card.getAttribute('data-value')),
        Number(card.querySelector('.n')?.textContent?.replace(/\D/g, '')),
      ]),
    );
    expect(shown).toEqual(
      (['input', 'ok', 'error', 'rejected', 'missing'] as const).map((k) => [
        k,
        summary.counts[k],
        summary.counts[k],
      ]),
    );
    // The faults gave the page something to show in every section.
    expect(summary.counts.error).toBeGreaterThan(0);
    expect(summary.counts.rejected).toBe(1);
    expect(summary.retry?.selected).toBeGreaterThan(0);
    expect(await page.$eval('#retry-selected', (el) => Number(el.getAttribute('data-value')))).toBe(
      summary.retry?.selected,
    );
    expect(await page.$eval('#retry-recovered', (el) => Number(el.getAttribute('data-value')))).toBe(
      summary.retry?.recovered,
    );
    // Hostile cells are text: no element came from them, and their text is on the page as written.
    expect(await page.$$eval('script, img, iframe, object, embed, link, a', (els) => els.length)).toBe(0);
    const text = await page.$eval('body', (body) => body.textContent);
    expect(text).toContain('</style><script>alert(3)</script>');
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'report-1280.png'), fullPage: true });
    await page.close();
    expect(requests.filter((r) => !r.endsWith('/report.html'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('fits a phone: no sideways scrolling of the page, charts within the screen', async () => {
    const page = await open(390, 844, true);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const widest = await page.$$eval('svg.chart', (charts) =>
      Math.max(...charts.map((c) => c.getBoundingClientRect().right)),
    );
    expect(widest).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(OUTPUT, 'report-phone.png'), fullPage: true });
    await page.close();
    expect(requests.filter((r) => !r.endsWith('/report.html'))).toEqual([]);
    expect(problems).toEqual([]);
    process.stdout.write(`report screenshots: ${OUTPUT}/report-1280.png, report-phone.png\n`);
  });
});
