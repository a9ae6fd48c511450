import { Card, Grid, Selector } from 'antd-mobile';
import { useMemo, useState } from 'react';
import { api, ok } from '../api.ts';
import { Chart } from '../components/chart.tsx';
import { useI18n, type Translate } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, money, useLoad } from '../ui.tsx';

type Dashboard = Awaited<ReturnType<typeof load>>;
const load = (warehouse: string, category: string) =>
  ok(api.dashboard.$get({ query: { ...(warehouse ? { warehouse } : {}), ...(category ? { category } : {}) } }));

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)}%`);

/** The digest's KPIs as charts, for the last 30 closed days, filterable by warehouse and category. */
export function DashboardPage() {
  const { t } = useI18n();
  const [warehouse, setWarehouse] = useState('');
  const [category, setCategory] = useState('');
  const state = useLoad(() => load(warehouse, category), [warehouse, category]);
  return (
    <div>
      <PageBar title={t('dash.title')} />
      <Loaded state={state}>
        {(d) => (
          <div style={{ padding: 8, display: 'flex', flexDirection: 'column', gap: 8 }}>
            <div style={{ color: '#999', fontSize: 13 }}>{t('dash.period', { from: d.from, to: d.to })}</div>
            <Selector
              columns={3}
              value={[warehouse]}
              onChange={(v) => setWarehouse(v[0] ?? '')}
              options={[{ label: t('dash.allWarehouses'), value: '' }, ...d.filters.warehouses.map((w) => ({ label: w.name, value: w.code }))]}
            />
            {d.filters.categories.length > 0 && (
              <Selector
                columns={3}
                value={[category]}
                onChange={(v) => setCategory(v[0] ?? '')}
                options={[{ label: t('dash.allCategories'), value: '' }, ...d.filters.categories.map((c) => ({ label: c, value: c }))]}
              />
            )}
            <Grid columns={2} gap={8}>
              <Figure label={t('dash.value')} value={money(d.summary?.closingValue)} />
              <Figure label={t('dash.cogs')} value={money(d.summary?.cogs)} />
              <Figure label={t('dash.turnover')} value={d.summary?.turnover?.toFixed(2) ?? '–'} />
              <Figure label={t('dash.deadRatio')} value={pct(d.summary?.deadStockRatio)} />
            </Grid>
            <Charts d={d} t={t} />
          </div>
        )}
      </Loaded>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Grid.Item>
      <div style={{ background: '#fff', borderRadius: 8, padding: 12 }}>
        <div style={{ fontSize: 12, color: '#999' }}>{label}</div>
        <div style={{ fontSize: 18, fontWeight: 600 }}>{value}</div>
      </div>
    </Grid.Item>
  );
}

function Charts({ d, t }: { d: Dashboard; t: Translate }) {
  const options = useMemo(() => {
    const flows = (points: Dashboard['daily']) => ({
      grid: { left: 48, right: 8, top: 28, bottom: 24 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: points.map((p) => p.period.slice(5) || p.period) },
      yAxis: { type: 'value' },
      series: [
        { name: t('dash.inbound'), type: 'bar', data: points.map((p) => Number(p.inboundValue)) },
        { name: t('dash.outbound'), type: 'bar', data: points.map((p) => Number(p.outboundValue)) },
      ],
    });
    const ages = d.summary?.ageBuckets ?? {};
    return {
      byWarehouse: {
        grid: { left: 64, right: 8, top: 8, bottom: 24 },
        tooltip: {},
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: d.byWarehouse.map((w) => w.name ?? w.key) },
        series: [{ type: 'bar', data: d.byWarehouse.map((w) => Number(w.closingValue)) }],
      },
      age: {
        tooltip: { trigger: 'item' },
        series: [{ type: 'pie', radius: ['40%', '70%'], data: Object.entries(ages).map(([name, v]) => ({ name, value: Number(v) })) }],
      },
      daily: flows(d.daily),
      monthly: { ...flows(d.monthly), xAxis: { type: 'category', data: d.monthly.map((p) => p.period) } },
      abc: {
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'pie',
            radius: '65%',
            data: (['A', 'B', 'C'] as const).map((k) => ({ name: `${k} · ${t('dash.items', { n: d.abc[k].items })}`, value: d.abc[k].value })),
          },
        ],
      },
    };
  }, [d, t]);
  return (
    <>
      <Card title={t('dash.byWarehouse')}>
        <Chart name="by-warehouse" option={options.byWarehouse} height={Math.max(120, d.byWarehouse.length * 40)} />
      </Card>
      <Card title={t('dash.age')}>
        <Chart name="age" option={options.age} />
      </Card>
      <Card title={t('dash.trend30')}>
        <Chart name="trend-30d" option={options.daily} />
      </Card>
      <Card title={t('dash.trend12')}>
        <Chart name="trend-12m" option={options.monthly} />
      </Card>
      <Card title={t('dash.abc')}>
        <Chart name="abc" option={options.abc} />
      </Card>
    </>
  );
}
