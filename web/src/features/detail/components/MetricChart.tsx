import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { COMMUNE_TIME_ZONE } from '../../../i18n/format.ts';
import 'uplot/dist/uPlot.min.css';
import type { SeriesPoint } from '@commune-hub/protocol';

interface MetricChartProps {
  points: readonly SeriesPoint[];
  label: string;
  locale: string;
}

/** avg line with a min–max band, drawn by uPlot (canvas: cheap on a slow laptop). */
export function MetricChart({ points, label, locale }: MetricChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const data: uPlot.AlignedData = [
      points.map((p) => p.t / 1000),
      points.map((p) => p.avg),
      points.map((p) => p.min),
      points.map((p) => p.max),
    ];
    const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    // uPlot's own date labels are American ("11/23/26 11:11am"); show 24-hour times in the commune's
    // zone instead, whatever the browser's (Vietnam is a whole-hour offset, so minute ticks still align).
    const minutes = new Intl.DateTimeFormat(locale, {
      timeZone: COMMUNE_TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const seconds = new Intl.DateTimeFormat(locale, {
      timeZone: COMMUNE_TIME_ZONE,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const plot = new uPlot(
      {
        width: Math.max(200, host.clientWidth),
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          {
            stroke: '#4b5563',
            grid: { stroke: '#e5e7eb' },
            // Ticks closer than a minute apart need seconds, or neighbours repeat the same label.
            values: (_u, vals, _axis, _space, incr) =>
              vals.map((v) => (incr < 60 ? seconds : minutes).format(new Date(v * 1000))),
          },
          {
            stroke: '#4b5563',
            grid: { stroke: '#e5e7eb' },
            size: 56,
            values: (_u, vals) => vals.map((v) => numberFormat.format(v)),
          },
        ],
        series: [
          {},
          { label, stroke: '#0f4c81', width: 2 },
          { label: 'min', stroke: 'rgba(15,76,129,0.25)', width: 1 },
          { label: 'max', stroke: 'rgba(15,76,129,0.25)', width: 1 },
        ],
        bands: [{ series: [3, 2], fill: 'rgba(15,76,129,0.10)' }],
      },
      data,
      host,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, host.clientWidth), height: 180 }),
    );
    resize.observe(host);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points, label, locale]);

  return <div ref={hostRef} className="chart" />;
}
