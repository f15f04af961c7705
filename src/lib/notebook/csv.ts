/**
 * RFC 4180 CSV writer for table exports. Cells that could be read as formulas by spreadsheets
 * (starting with = + - @) are prefixed with a quote so an exported file cannot run anything.
 * Example: toCsv(['a'], [['x,y']]) = 'a\r\n"x,y"\r\n'.
 */
export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const esc = (v: string | number | null): string => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    let s = v;
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [header, ...rows].map((r) => r.map(esc).join(',')).join('\r\n') + '\r\n';
}
