/** Collect's pure core: join Bedrock's outputs to the rows and write the results files. */
export { costOf, type RunCost } from './cost';
export type { JobSummary, JoinSources, ShardJob } from './join';
export { concatLines, readLines } from './lines';
export type { ResultSinks, RowObserver, RowStatus } from './result-writer';
export { assertReconciled, type CollectRunInput, collectRun, outputModeFor, type RunSummary } from './run';
export { planHeader } from './sidecar';
export { StringSink, type TextSink } from './sink';
export { MemorySpillStore, type SpillStore } from './spill';
export type { CollectWarning } from './warnings';
