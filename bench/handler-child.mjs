// The measured process of the benches that run a handler as it ships (bench/collect-s3.bench.ts,
// bench/prepare-s3.bench.ts): imports the bundle `cdk deploy` uploads (dist/functions/<handler>/index.mjs,
// argv[2]), calls its handler once with the event in argv[3] and a Lambda context of 15 minutes, and writes
// its wall and CPU seconds, peak RSS and the handler's output to BENCH_RESULT_FILE. Plain JavaScript, so no
// TypeScript loader is in the process; endpoints come from the environment.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const ends = Date.now() + 15 * 60 * 1000;
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const output = await handler(event, { getRemainingTimeInMillis: () => ends - Date.now() });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
writeFileSync(
  process.env.BENCH_RESULT_FILE,
  JSON.stringify({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    output,
  }),
);
