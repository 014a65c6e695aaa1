/**
 * report.html's one style sheet and the Content-Security-Policy that lets only it apply (by its hash):
 * no script, no external style, font or image, no request of any kind.
 */
import { createHash } from 'node:crypto';
import { COLORS } from './svg';

/** The page's style sheet, inlined in its `<style>` element. */
export const STYLE = `
:root{color-scheme:light;--fg:#263238;--muted:#546e7a;--line:#cfd8dc;--bg:#fff;--panel:#f5f7f8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
p{margin:6px 0}
.muted{color:var(--muted)}
.meta{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0 0;padding:0;list-style:none;color:var(--muted)}
.meta b{color:var(--fg);font-weight:600;overflow-wrap:anywhere}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;color:#fff;font-weight:600;font-size:.85rem;vertical-align:middle}
.pill.succeeded{background:${COLORS.ok}}
.pill.failed{background:${COLORS.error}}
.failure{border-left:4px solid ${COLORS.error};background:#fdecea;padding:10px 14px;margin:16px 0}
.failure code{font-weight:700}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:10px;margin:10px 0}
.card{background:var(--panel);border-radius:6px;padding:10px 12px;border-top:4px solid var(--line)}
.card .n{display:block;font-size:1.5rem;font-weight:700;font-variant-numeric:tabular-nums}
.card .k{color:var(--muted)}
.card.ok{border-top-color:${COLORS.ok}}
.card.error{border-top-color:${COLORS.error}}
.card.rejected{border-top-color:${COLORS.rejected}}
.card.missing{border-top-color:${COLORS.missing}}
.chart{display:block;width:100%;max-width:900px;overflow:visible}
.two .chart{max-width:none}
.two{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.two h3{font-size:1rem;margin:8px 0 2px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.time{white-space:nowrap}
code,.cell{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.cell{white-space:pre-wrap;overflow-wrap:anywhere}
dl.sample{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0 0}
dl.sample dt{color:var(--muted);overflow-wrap:anywhere;max-width:14em}
dl.sample dd{margin:0;min-width:0}
.figures{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
.figures dt{color:var(--muted)}
.figures dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.optional{border:1px dashed var(--line);border-radius:6px;padding:4px 14px 10px;margin-top:18px}
.optional h2{border:0;margin-top:10px}
footer{margin:32px 0 8px;color:var(--muted);font-size:.85rem}
@media (max-width:700px){
main{padding:10px}
.cards{grid-template-columns:repeat(2,minmax(0,1fr))}
.cards .card:first-child{grid-column:1/-1}
.two{grid-template-columns:1fr}
dl.sample,.figures{grid-template-columns:1fr}
dl.sample dt{max-width:none}
th,td{padding:4px 5px}
}
`;

/** The style sheet's CSP source: the SHA-256 of the exact text between the style tags. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: nothing may load; only the page's own style sheet applies. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; font-src 'none'; connect-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
