import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

/** ECharts loads with the first chart, never with the home screen. */
const loadEcharts = async () => (await import('./echarts-setup.ts')).echarts;

/** An ECharts chart sized to the phone's width; `name` labels it for screen readers and tests. */
export function Chart({ option, height = 220, name }: { option: EChartsCoreOption; height?: number; name: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: EChartsCoreOption): void; dispose(): void; resize(): void } | null = null;
    const onResize = () => chart?.resize();
    void loadEcharts().then((echarts) => {
      if (disposed || !el.current) return;
      chart = echarts.init(el.current);
      chart.setOption(option);
      el.current.dataset.rendered = 'true';
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={el} role="img" aria-label={name} data-chart={name} style={{ width: '100%', height }} />;
}
