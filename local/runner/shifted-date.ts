/**
 * Makes `Date` in this process follow the simulated clock while a local run lasts, so handlers that read
 * the time (`new Date()`, `Date.now()`) see the hours a Wait state stands for. Everything that shares the
 * clock runs in this process (handlers, the SDK's request signing, the emulators), so they all agree.
 * Node's HTTP servers stamp responses with the real time, and the SDK corrects its clock from that
 * header: responses of this process get a `Date` header from the shifted clock instead.
 */
import { ServerResponse } from 'node:http';

const RealDate = globalThis.Date;
const realNow = RealDate.now.bind(RealDate);

/** Real wall-clock milliseconds, whatever `Date` currently is. */
export function realTime(): number {
  return realNow();
}

/**
 * Replaces the global `Date` with one that is `skew()` milliseconds ahead; returns the function that
 * puts the real one back. Explicit dates (`new Date(ms)`, `Date.parse`) are unchanged.
 */
export function shiftGlobalDate(skew: () => number): () => void {
  const now = () => realNow() + skew();
  const Shifted = function (this: unknown, ...args: unknown[]) {
    if (new.target === undefined) return new RealDate(now()).toString();
    return args.length === 0
      ? new RealDate(now())
      : new (RealDate as unknown as new (...values: unknown[]) => Date)(...args);
  } as unknown as DateConstructor;
  Object.defineProperties(Shifted, {
    prototype: { value: RealDate.prototype },
    now: { value: now },
    parse: { value: RealDate.parse },
    UTC: { value: RealDate.UTC },
  });
  globalThis.Date = Shifted;
  const writeHead = ServerResponse.prototype.writeHead;
  ServerResponse.prototype.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (this.sendDate && !this.hasHeader('date')) this.setHeader('Date', new RealDate(now()).toUTCString());
    return (writeHead as (...values: unknown[]) => ServerResponse).apply(this, args);
  } as typeof writeHead;
  return () => {
    globalThis.Date = RealDate;
    ServerResponse.prototype.writeHead = writeHead;
  };
}
