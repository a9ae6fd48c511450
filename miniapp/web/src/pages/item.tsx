import { Button, Card, List, Space, Tag } from 'antd-mobile';
import { useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ok } from '../api.ts';
import { Chart } from '../components/chart.tsx';
import { useI18n } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, money, qty, useLoad, when } from '../ui.tsx';

/** Everything about one item an employee may see: stock per warehouse, batch and location, why available differs, history, trend. */
export function ItemPage() {
  const { code = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const state = useLoad(() => ok(api.items[':code'].$get({ param: { code } })), [code]);
  return (
    <div>
      <PageBar title={state.data?.item.name ?? code} />
      <Loaded state={state}>
        {(d) => (
          <Space direction="vertical" block style={{ '--gap': '8px', padding: 8 } as React.CSSProperties}>
            <Card title={`${d.item.code}${d.item.spec ? ` · ${d.item.spec}` : ''}`}>
              <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', textAlign: 'center' }}>
                {(['onHand', 'reserved', 'available', 'inTransit'] as const).map((f) => (
                  <div key={f} data-figure={f}>
                    <div style={{ fontSize: 20, fontWeight: 600, color: f === 'available' ? '#1677ff' : undefined }}>{qty(d.totals[f])}</div>
                    <div style={{ fontSize: 12, color: '#999' }}>{t(`item.${f}`)}</div>
                  </div>
                ))}
              </div>
              <div style={{ marginTop: 8, fontSize: 13, color: '#666' }}>
                {t('item.safety', { qty: `${qty(d.item.safetyStock)} ${d.item.unit}` })}
                {d.item.belowSafetyStock && (
                  <Tag color="danger" style={{ marginLeft: 8 }}>
                    {t('item.belowSafety')}
                  </Tag>
                )}
                {d.unitCost !== null && <span style={{ marginLeft: 8 }}>{t('item.unitCost', { cost: money(d.unitCost) })}</span>}
                {d.value !== null && <span style={{ marginLeft: 8 }}>{t('item.value', { value: money(d.value) })}</span>}
              </div>
            </Card>
            <List header={t('item.byWarehouse')}>
              {d.warehouses.length === 0 && <List.Item>{t('item.noStock')}</List.Item>}
              {d.warehouses.map((w) => (
                <List.Item
                  key={w.warehouse}
                  description={
                    <div>
                      {w.slots.map((s) => (
                        <div key={`${s.location}-${s.batch ?? ''}`}>
                          {t('item.location')} {s.location}
                          {s.batch ? ` · ${t('item.batch')} ${s.batch}` : ''}
                          {s.expiryDate ? ` · ${t('item.expiry', { date: s.expiryDate })}` : ''}
                          {s.expired && <Tag color="danger">{t('item.expired')}</Tag>} · {qty(s.onHand)}
                        </div>
                      ))}
                      {Number(d.dailyOutbound[w.warehouse] ?? 0) > 0 && (
                        <div>{t('item.daysOfSupply', { days: Math.floor(Number(w.available) / Number(d.dailyOutbound[w.warehouse])) })}</div>
                      )}
                    </div>
                  }
                  extra={`${t('item.available')} ${qty(w.available)}`}
                >
                  {w.name}
                  <span style={{ color: '#999', fontSize: 13 }}>
                    {' '}
                    {t('item.onHand')} {qty(w.onHand)} · {t('item.reserved')} {qty(w.reserved)}
                    {Number(w.inTransit) > 0 ? ` · ${t('item.inTransit')} ${qty(w.inTransit)}` : ''}
                  </span>
                </List.Item>
              ))}
            </List>
            {d.holds.length > 0 && (
              <List header={t('item.holds')}>
                {d.holds.map((h) => (
                  <List.Item key={`${h.orderRef}-${h.warehouse}`}>{t('item.holdLine', { ref: h.orderRef, qty: qty(h.qty), warehouse: h.warehouse })}</List.Item>
                ))}
              </List>
            )}
            <Card title={t('item.chart')}>
              <StockChart series={d.series} name={t('item.chart')} />
            </Card>
            <List header={t('item.history')}>
              {d.history.map((m, i) => (
                <List.Item key={`${m.docNo}-${i}`} description={`${when(m.postedAt)} · ${m.warehouse}/${m.location}${m.batch ? ` · ${m.batch}` : ''}${m.reference ? ` · ${m.reference}` : ''}`} extra={<span style={{ color: Number(m.qty) < 0 ? '#ff3141' : '#00b578' }}>{Number(m.qty) > 0 ? '+' : ''}{qty(m.qty)}</span>}>
                  {m.docNo}
                </List.Item>
              ))}
            </List>
            <Button block color="primary" onClick={() => navigate(`/requests/new?type=outbound&item=${encodeURIComponent(d.item.code)}`)}>
              {t('item.requestOutbound')}
            </Button>
          </Space>
        )}
      </Loaded>
    </div>
  );
}

function StockChart({ series, name }: { series: { day: string; qty: string }[]; name: string }) {
  const option = useMemo(
    () => ({
      grid: { left: 40, right: 12, top: 12, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: series.map((p) => p.day.slice(5)) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: series.map((p) => Number(p.qty)), showSymbol: false, areaStyle: { opacity: 0.15 } }],
    }),
    [series],
  );
  return <Chart option={option} name={name} />;
}
