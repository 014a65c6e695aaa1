/** The number format of each cell style (`s` attribute of a cell → `cellXfs[s]` → its format code). */
import { BUILTIN_FORMATS } from './builtin-formats';
import { parseXml } from './xml';
import type { Package } from './zip';

/**
 * Format codes by cell style index; styles without a known format use General.
 *
 * @example (await readStyles(pkg, 'xl/styles.xml'))[1] // 'yyyy-mm-dd'
 */
export async function readStyles(pkg: Package, part: string | undefined): Promise<string[]> {
  if (part === undefined || !pkg.has(part)) return [];
  const custom = new Map<number, string>();
  const ids: number[] = [];
  let inCellXfs = false;
  parseXml(part, await pkg.text(part), {
    open(name, a) {
      if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined) {
        custom.set(Number(a.numFmtId), a.formatCode);
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) ids.push(Number(a.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return ids.map((id) => custom.get(id) ?? BUILTIN_FORMATS[id] ?? 'General');
}
