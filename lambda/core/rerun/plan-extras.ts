/** What plan.json says about dedupe and a re-run, read for Collect (older plans have neither). */

/** Dedupe and re-run facts of a plan. */
export interface PlanExtras {
  readonly dedupe?: { readonly records: number; readonly key: string };
  readonly rerun?: { readonly previousRunId: string; readonly reused: number };
  /** SHA-256 of the input file (plans written before re-runs have none). */
  readonly inputSha256?: string;
}

/**
 * @example planExtras({ records: 10, dedupe: { duplicates: 3, key: 'runs/x/rows/duplicates.jsonl' } })
 *   // { dedupe: { records: 10, key: 'runs/x/rows/duplicates.jsonl' } }
 */
export function planExtras(plan: unknown): PlanExtras {
  const p = (typeof plan === 'object' && plan !== null ? plan : {}) as Record<string, unknown>;
  const dedupe = p.dedupe as { key?: unknown } | undefined;
  const rerun = p.rerun as { previousRunId?: unknown; reused?: unknown } | undefined;
  return {
    ...(typeof dedupe?.key === 'string' && typeof p.records === 'number'
      ? { dedupe: { records: p.records, key: dedupe.key } }
      : {}),
    ...(typeof rerun?.previousRunId === 'string'
      ? { rerun: { previousRunId: rerun.previousRunId, reused: Number(rerun.reused ?? 0) } }
      : {}),
    ...(typeof p.inputSha256 === 'string' ? { inputSha256: p.inputSha256 } : {}),
  };
}
