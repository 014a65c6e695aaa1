/** report.html: a run's outcome as one self-contained page (pure: data in, HTML text out). */
export {
  type CollectedReportInput,
  type FailedReportInput,
  reportFromCollect,
  reportFromFailure,
} from './build';
export type { ErrorGroup, ReportData, ReportJob } from './data';
export { escapeHtml, truncate } from './escape';
export { type HistogramSnapshot, StreamingHistogram } from './histogram';
export { renderReport } from './render';
export { ReportRows, type RowFigures } from './rows';
export { CONTENT_SECURITY_POLICY } from './style';

/** The report's content type, as S3 serves it. */
export const REPORT_CONTENT_TYPE = 'text/html; charset=utf-8';
