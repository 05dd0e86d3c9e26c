/**
 * The quality trend: share of passed checks per stored run, over time, drawn by uPlot (a small,
 * well-kept canvas chart library). The same figures follow as a table for screen readers and for
 * anyone who wants the numbers.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { QualityHistory } from '../api.js';
import { TableHead } from './table-head.js';

type Run = QualityHistory['items'][number];

/** Passed checks over all checks of a run, in percent; null when the run measured nothing. */
export function passPercent(run: Run): number | null {
  const { passed, failed, errors } = run.summary;
  const total = passed + failed + errors;
  return total === 0 ? null : Math.round((passed / total) * 1000) / 10;
}

export function QualityChart({ runs }: { runs: readonly Run[] }) {
  const box = useRef<HTMLDivElement>(null);
  // Oldest first: the API lists runs newest first.
  const ordered = [...runs].reverse();
  useEffect(() => {
    const target = box.current;
    if (!target || ordered.length === 0) return;
    const data: uPlot.AlignedData = [ordered.map((r) => Date.parse(r.at) / 1000), ordered.map((r) => passPercent(r))];
    const width = Math.max(280, Math.min(720, target.clientWidth));
    const chart = new uPlot(
      {
        width,
        height: 220,
        scales: { y: { range: [0, 100] } },
        axes: [{}, { label: 'checks passed (%)' }],
        series: [{}, { label: 'passed %', stroke: '#1f5fa8', width: 2, points: { show: true, size: 7 } }],
      },
      data,
      target,
    );
    return () => chart.destroy();
  }, [runs]);
  if (runs.length === 0) return <p class="muted">No quality run is stored yet.</p>;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`Share of checks passed in the last ${runs.length} quality runs`} />
      <details>
        <summary>The runs as a table</summary>
        <table>
          <TableHead columns={['run at', 'version', 'passed', 'failed', 'not measured', 'passed %']} />
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId}>
                <td>{r.at}</td>
                <td>{r.version}</td>
                <td>{r.summary.passed}</td>
                <td>{r.summary.failed}</td>
                <td>{r.summary.errors}</td>
                <td>{passPercent(r) ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
