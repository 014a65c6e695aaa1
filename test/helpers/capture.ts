/** Captures what the CLI writes to stdout and stderr during a test (restore with `vi.restoreAllMocks`). */
import { vi } from 'vitest';

/** Starts capturing; the returned functions read what was written so far. */
export function capture(): { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  return { out: () => out.join(''), err: () => err.join('') };
}
