// Preloaded with `node --require` into a measured child process: at exit, writes the whole process's
// peak RSS and CPU time (start-up included, every thread) as JSON to the file named by BENCH_USAGE_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_USAGE_FILE;
  if (!file) return;
  const cpu = process.cpuUsage();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  writeFileSync(file, JSON.stringify({ maxRssMb, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
});
