import { describe, expect, it } from 'vitest';
import { bundleDir, functionCode } from '../../lib/function-code';
import type { HandlerName } from '../../lib/handler-names';

describe('functionCode', () => {
  it('takes the bundle from dist/functions/<handler>', () => {
    expect(bundleDir('submit-job')).toMatch(/[/\\]dist[/\\]functions[/\\]submit-job$/);
    expect(functionCode('submit-job').path).toBe(bundleDir('submit-job'));
  });

  it('says to build when a bundle is missing, naming the file', () => {
    expect(() => functionCode('not-built' as HandlerName)).toThrow(
      /The not-built function's bundle is missing \(.*dist[/\\]functions[/\\]not-built[/\\]index\.mjs\): run `npm run build`/,
    );
  });
});
