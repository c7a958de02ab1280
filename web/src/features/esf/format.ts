/** The month before `today` (`YYYY-MM`): the latest a protected view shows. */
export function lastCompleteMonth(today: Date): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

/** The first month of the year of `month` (`YYYY-01`). */
export function startOfYear(month: string): string {
  return `${month.slice(0, 4)}-01`;
}

/** A figure as shown: "·" when protected. */
export function showFigure(f: { value: number | null; suppressed: boolean }, language: string): string {
  if (f.suppressed || f.value === null) return '·';
  return new Intl.NumberFormat(language).format(f.value);
}

/** A month `YYYY-MM` in the UI language ("Februar 2025"). */
export function formatMonth(month: string, language: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
