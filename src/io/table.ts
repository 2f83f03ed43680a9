// Strips SGR escape sequences so column widths count what the terminal shows.
const ansi = /\u001b\[[0-9;]*m/g;

export function visibleWidth(s: string): number {
  return s.replace(ansi, '').length;
}

// Aligned columns, two spaces apart; the last column is not padded so lines carry no trailing blanks.
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => visibleWidth(r[i] ?? ''))));
  return all
    .map((row) =>
      widths
        .map((w, i) => {
          const cell = row[i] ?? '';
          return i === columns - 1 ? cell : cell + ' '.repeat(w - visibleWidth(cell));
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
