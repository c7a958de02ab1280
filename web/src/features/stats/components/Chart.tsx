import { useId } from 'react';

export interface ChartPoint {
  key: string;
  label: string;
  value: number | null; // null: suppressed
  previous?: number | null;
}

/**
 * A chart in SVG: bars comparing categories, or with `line` a trend over periods (one point per
 * period joined by a line, the previous year dashed; a suppressed period breaks the line). Its
 * figure names the table below it, which holds the same figures. Each bar or point has a tooltip
 * with its published value ("·" when suppressed).
 */
export function BarChart({
  points,
  title,
  format,
  suppressedText,
  previousLabel,
  currentLabel,
  line = false,
}: {
  points: ChartPoint[];
  title: string;
  format: (v: number) => string;
  suppressedText: string;
  previousLabel?: string;
  /** With a comparison: the legend's name of the chosen period (beside `previousLabel`). */
  currentLabel?: string;
  line?: boolean;
}) {
  const id = useId();
  const max = Math.max(1, ...points.flatMap((p) => [p.value ?? 0, p.previous ?? 0]));
  const bar = 28;
  const gap = 14;
  const height = 180;
  // Room for the labels, rotated by 40° and ending under their bar: they reach left of the first
  // bar and below the axis (14 characters at most).
  const left = 56;
  const below = 84;
  const width = Math.max(320, left + points.length * (bar + gap));
  const withPrevious = points.some((p) => p.previous !== undefined);
  // A line through the centres of the periods; a suppressed period (null) breaks it.
  const path = (values: (number | null)[]) =>
    values
      .map((v, i) => {
        if (v === null) return '';
        const move = i === 0 || values[i - 1] === null ? 'M' : 'L';
        return `${move}${left + i * (bar + gap) + bar / 2},${height - (v / max) * (height - 10)}`;
      })
      .join(' ');
  return (
    <figure className="fd-stats-chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="kern-body">
        {title}
      </figcaption>
      <div className="fd-stats-chart__scroll">
        <svg width={width} height={height + below} role="img" aria-labelledby={`${id}-t`} data-testid="stats-chart">
          <line x1={0} y1={height} x2={width} y2={height} className="fd-stats-chart__axis" />
          {line ? (
            <>
              {withPrevious ? (
                <path d={path(points.map((p) => p.previous ?? null))} className="fd-stats-chart__line fd-stats-chart__line--previous" />
              ) : null}
              <path d={path(points.map((p) => p.value))} className="fd-stats-chart__line" />
            </>
          ) : null}
          {points.map((p, i) => {
            const x = left + i * (bar + gap);
            const h = p.value === null ? 0 : (p.value / max) * (height - 10);
            const ph = p.previous == null ? 0 : (p.previous / max) * (height - 10);
            const text = p.value === null ? `${p.label}: · (${suppressedText})` : `${p.label}: ${format(p.value)}`;
            return (
              <g key={p.key}>
                {withPrevious && p.previous != null ? (
                  line ? (
                    <circle cx={x + bar / 2} cy={height - ph} r={3} className="fd-stats-chart__previous">
                      <title>{`${p.label} (${previousLabel}): ${format(p.previous)}`}</title>
                    </circle>
                  ) : (
                    <rect x={x} y={height - ph} width={bar / 2 - 1} height={ph} className="fd-stats-chart__previous">
                      <title>{`${p.label} (${previousLabel}): ${format(p.previous)}`}</title>
                    </rect>
                  )
                ) : null}
                {p.value === null ? (
                  <text x={x + bar / 2} y={height - 4} textAnchor="middle" className="fd-stats-chart__mark">
                    ·<title>{text}</title>
                  </text>
                ) : line ? (
                  <circle cx={x + bar / 2} cy={height - h} r={4} className="fd-stats-chart__point">
                    <title>{text}</title>
                  </circle>
                ) : (
                  <rect
                    x={withPrevious ? x + bar / 2 : x}
                    y={height - h}
                    width={withPrevious ? bar / 2 : bar}
                    height={h}
                    className="fd-stats-chart__bar"
                  >
                    <title>{text}</title>
                  </rect>
                )}
                <text x={x + bar / 2} y={height + 14} textAnchor="end" transform={`rotate(-40 ${x + bar / 2} ${height + 14})`} className="fd-stats-chart__label">
                  {p.label.length > 14 ? `${p.label.slice(0, 13)}…` : p.label}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      {withPrevious ? (
        <p className="kern-body fd-stats-chart__legend" data-testid="stats-chart-legend">
          <span className="fd-stats-chart__key" />
          {currentLabel}
          <span className="fd-stats-chart__key fd-stats-chart__key--previous" />
          {previousLabel}
        </p>
      ) : null}
    </figure>
  );
}
