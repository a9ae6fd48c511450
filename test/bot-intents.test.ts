import { describe, expect, it } from 'vitest';
import { parseIntent, type Intent, type Lexicon } from '../bot/core/intent.ts';
import { chineseNumber } from '../bot/core/intent/numbers.ts';
import { initialsOf } from '../inventory/pinyin.ts';

const lexicon: Lexicon = {
  warehouses: [
    { code: 'SH', name: '上海仓', aliases: ['上海', '沪'] },
    { code: 'SZ', name: '苏州仓', aliases: ['苏州'] },
    { code: 'SZN', name: '深圳仓', aliases: ['深圳', '深'] },
  ],
};

/** What people type in DingTalk / Feishu / WeCom, and what the bot must understand from it. */
const PHRASINGS: [string, Intent][] = [
  ["A-1001还有多少", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001 还剩几个", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["查一下M6螺丝的库存", { lang: 'zh', kind: 'stock', item: 'M6螺丝', warehouse: null }],
  ["螺丝M6库存", { lang: 'zh', kind: 'stock', item: '螺丝M6', warehouse: null }],
  ["上海仓 六角螺栓 库存", { lang: 'zh', kind: 'stock', item: '六角螺栓', warehouse: 'SH' }],
  ["上海仓还有多少螺丝M6", { lang: 'zh', kind: 'stock', item: '螺丝M6', warehouse: 'SH' }],
  ["M6螺丝上海仓还有多少?", { lang: 'zh', kind: 'stock', item: 'M6螺丝', warehouse: 'SH' }],
  ["SH A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["库存 A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001在深圳有货吗", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SZN' }],
  ["帮我看看 lsm6", { lang: 'zh', kind: 'stock', item: 'lsm6', warehouse: null }],
  ["stock of A-1001", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["how many A-1001 in SH", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["A-1001 stock", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["6901234567001", { lang: 'zh', kind: 'stock', item: '6901234567001', warehouse: null }],
  ["螺丝M6", { lang: 'zh', kind: 'stock', item: '螺丝M6', warehouse: null }],
  ["深沟球轴承6204", { lang: 'zh', kind: 'stock', item: '深沟球轴承6204', warehouse: null }],
  ["@库存领航\u2005A-1001还有多少？", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["ＡＢＣ-１２３ 库存", { lang: 'zh', kind: 'stock', item: 'ABC-123', warehouse: null }],
  ["我的待办", { lang: 'zh', kind: 'my_tasks' }],
  ["我的申请", { lang: 'zh', kind: 'my_requests' }],
  ["申请出库 A-1001 5 个 上海仓 用途 样品", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '5', unit: '个', warehouse: 'SH', toWarehouse: null, reason: 'sample', note: null }],
  ["领料 A-1001 10个", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '10', unit: '个', warehouse: null, toWarehouse: null, reason: 'requisition', note: null }],
  ["我要领10个A-1001", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '10', unit: '个', warehouse: null, toWarehouse: null, reason: 'requisition', note: null }],
  ["出库 A-1001 3箱 上海仓", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '3', unit: '箱', warehouse: 'SH', toWarehouse: null, reason: null, note: null }],
  ["销售出库 A-1001 两箱 深圳仓", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '2', unit: '箱', warehouse: 'SZN', toWarehouse: null, reason: 'sales', note: null }],
  ["申请采购 A-1001 100个", { kind: 'request', lang: 'zh', type: 'purchase', item: 'A-1001', qty: '100', unit: '个', warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["调拨 A-1001 20个 从上海仓到苏州仓", { kind: 'request', lang: 'zh', type: 'transfer', item: 'A-1001', qty: '20', unit: '个', warehouse: 'SH', toWarehouse: 'SZ', reason: null, note: null }],
  ["从上海调20个A-1001到苏州", { kind: 'request', lang: 'zh', type: 'transfer', item: 'A-1001', qty: '20', unit: '个', warehouse: 'SH', toWarehouse: 'SZ', reason: null, note: null }],
  ["request outbound A-1001 5 SH sample", { kind: 'request', lang: 'en', type: 'outbound', item: 'A-1001', qty: '5', unit: null, warehouse: 'SH', toWarehouse: null, reason: 'sample', note: null }],
  ["purchase 100 A-1001", { kind: 'request', lang: 'en', type: 'purchase', item: 'A-1001', qty: '100', unit: null, warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["transfer 20 A-1001 from SH to SZ", { kind: 'request', lang: 'en', type: 'transfer', item: 'A-1001', qty: '20', unit: null, warehouse: 'SH', toWarehouse: 'SZ', reason: null, note: null }],
  ["帮助", { lang: 'zh', kind: 'help' }],
  ["help", { lang: 'en', kind: 'help' }],
  ["订阅日报", { lang: 'zh', kind: 'subscribe', topic: 'digest', warehouse: null }],
  ["订阅预警 上海仓", { lang: 'zh', kind: 'subscribe', topic: 'alerts', warehouse: 'SH' }],
  ["订阅 上海仓 预警", { lang: 'zh', kind: 'subscribe', topic: 'alerts', warehouse: 'SH' }],
  ["退订日报", { lang: 'zh', kind: 'unsubscribe', topic: 'digest', warehouse: null }],
  ["取消订阅预警", { lang: 'zh', kind: 'unsubscribe', topic: 'alerts', warehouse: null }],
  ["subscribe digest", { lang: 'en', kind: 'subscribe', topic: 'digest', warehouse: null }],
  ["subscribe alerts SZ", { lang: 'en', kind: 'subscribe', topic: 'alerts', warehouse: 'SZ' }],
  ["unsubscribe digest", { lang: 'en', kind: 'unsubscribe', topic: 'digest', warehouse: null }],
  ["日报", { lang: 'zh', kind: 'digest' }],
  ["你好", { lang: 'zh', kind: 'help' }],
  ["谢谢", { lang: 'zh', kind: 'unknown', text: '谢谢' }],
  ["hello", { lang: 'en', kind: 'help' }],
  ["今天天气怎么样", { lang: 'zh', kind: 'unknown', text: '今天天气怎么样' }],
  ["thanks", { lang: 'en', kind: 'unknown', text: 'thanks' }],
  ["上海仓库存", { lang: 'zh', kind: 'stock_missing_item', warehouse: 'SH' }],
  ["查库存", { lang: 'zh', kind: 'stock_missing_item', warehouse: null }],
  ["沪仓 A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["出库 6901234567001 5个 用途 客户测试", { kind: 'request', lang: 'zh', type: 'outbound', item: '6901234567001', qty: '5', unit: '个', warehouse: null, toWarehouse: null, reason: null, note: '客户测试' }],
  ["A-1001 有多少", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001多少个", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["请问A-1001还有吗", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001现在有多少库存", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["目前A-1001库存多少", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001 苏州仓", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SZ' }],
  ["苏州 A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SZ' }],
  ["深圳仓有没有A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SZN' }],
  ["A-1001 深圳仓库 还有多少", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SZN' }],
  ["上海仓库 A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["查A-1001", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["查询 螺丝M6", { lang: 'zh', kind: 'stock', item: '螺丝M6', warehouse: null }],
  ["螺丝M6 还剩多少", { lang: 'zh', kind: 'stock', item: '螺丝M6', warehouse: null }],
  ["六角螺栓M8还有吗", { lang: 'zh', kind: 'stock', item: '六角螺栓M8', warehouse: null }],
  ["看一下 六角螺栓", { lang: 'zh', kind: 'stock', item: '六角螺栓', warehouse: null }],
  ["在上海仓的A-1001还有多少", { lang: 'zh', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["lsm6", { lang: 'zh', kind: 'stock', item: 'lsm6', warehouse: null }],
  ["LSM6 库存", { lang: 'zh', kind: 'stock', item: 'LSM6', warehouse: null }],
  ["ljls 上海", { lang: 'zh', kind: 'stock', item: 'ljls', warehouse: 'SH' }],
  ["6901234567001 还有多少", { lang: 'zh', kind: 'stock', item: '6901234567001', warehouse: null }],
  ["扫码 6901234567001", { lang: 'zh', kind: 'stock', item: '6901234567001', warehouse: null }],
  ["stock A-1001", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["how much A-1001 do we have", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["A-1001 in SZ", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: 'SZ' }],
  ["check A-1001", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: null }],
  ["inventory of A-1001 at SZN", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: 'SZN' }],
  ["do we have A-1001 in SH", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["how many lsm6", { lang: 'en', kind: 'stock', item: 'lsm6', warehouse: null }],
  ["a-1001", { lang: 'zh', kind: 'stock', item: 'a-1001', warehouse: null }],
  ["sku-00012 stock", { lang: 'en', kind: 'stock', item: 'sku-00012', warehouse: null }],
  ["A-1001 left in SH", { lang: 'en', kind: 'stock', item: 'A-1001', warehouse: 'SH' }],
  ["待办", { lang: 'zh', kind: 'my_tasks' }],
  ["待审批", { lang: 'zh', kind: 'my_tasks' }],
  ["我的待办事项", { lang: 'zh', kind: 'my_tasks' }],
  ["审批待办", { lang: 'zh', kind: 'my_tasks' }],
  ["my approvals", { lang: 'en', kind: 'my_tasks' }],
  ["pending approvals", { lang: 'en', kind: 'my_tasks' }],
  ["todo", { lang: 'en', kind: 'my_tasks' }],
  ["我提交的", { lang: 'zh', kind: 'my_requests' }],
  ["我的单据", { lang: 'zh', kind: 'my_requests' }],
  ["my requests", { lang: 'en', kind: 'my_requests' }],
  ["帮忙", { lang: 'zh', kind: 'help' }],
  ["怎么用", { lang: 'zh', kind: 'help' }],
  ["你能做什么", { lang: 'zh', kind: 'help' }],
  ["菜单", { lang: 'zh', kind: 'help' }],
  ["?", { lang: 'zh', kind: 'help' }],
  ["menu", { lang: 'en', kind: 'help' }],
  ["在吗", { lang: 'zh', kind: 'help' }],
  ["申请出库 A-1001 5个", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '5', unit: '个', warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["申请出库 螺丝M6 10 个 苏州仓", { kind: 'request', lang: 'zh', type: 'outbound', item: '螺丝M6', qty: '10', unit: '个', warehouse: 'SZ', toWarehouse: null, reason: null, note: null }],
  ["出库申请 A-1001 2 箱 SH 用途 领料", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '2', unit: '箱', warehouse: 'SH', toWarehouse: null, reason: 'requisition', note: null }],
  ["领用 A-1001 3个 上海仓 备注 产线维修", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '3', unit: '个', warehouse: 'SH', toWarehouse: null, reason: 'requisition', note: '产线维修' }],
  ["申请领料 A-1001 十个", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '10', unit: '个', warehouse: null, toWarehouse: null, reason: 'requisition', note: null }],
  ["我要领用 A-1001 二十个 上海仓", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '20', unit: '个', warehouse: 'SH', toWarehouse: null, reason: 'requisition', note: null }],
  ["出库 A-1001 5 pcs SZ sales", { kind: 'request', lang: 'zh', type: 'outbound', item: 'A-1001', qty: '5', unit: 'pcs', warehouse: 'SZ', toWarehouse: null, reason: 'sales', note: null }],
  ["采购申请 A-1001 500个 苏州仓", { kind: 'request', lang: 'zh', type: 'purchase', item: 'A-1001', qty: '500', unit: '个', warehouse: 'SZ', toWarehouse: null, reason: null, note: null }],
  ["我要采购 A-1001 1000个", { kind: 'request', lang: 'zh', type: 'purchase', item: 'A-1001', qty: '1000', unit: '个', warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["采购 A-1001", { kind: 'request', lang: 'zh', type: 'purchase', item: 'A-1001', qty: null, unit: null, warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["调货 A-1001 50个 从苏州仓到上海仓", { kind: 'request', lang: 'zh', type: 'transfer', item: 'A-1001', qty: '50', unit: '个', warehouse: 'SZ', toWarehouse: 'SH', reason: null, note: null }],
  ["移库 A-1001 10个 上海仓 到 深圳仓", { kind: 'request', lang: 'zh', type: 'transfer', item: 'A-1001', qty: '10', unit: '个', warehouse: 'SH', toWarehouse: 'SZN', reason: null, note: null }],
  ["调拨 A-1001", { kind: 'request', lang: 'zh', type: 'transfer', item: 'A-1001', qty: null, unit: null, warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["outbound A-1001 3 SH requisition", { kind: 'request', lang: 'en', type: 'outbound', item: 'A-1001', qty: '3', unit: null, warehouse: 'SH', toWarehouse: null, reason: 'requisition', note: null }],
  ["request purchase A-1001 200 SZ", { kind: 'request', lang: 'en', type: 'purchase', item: 'A-1001', qty: '200', unit: null, warehouse: 'SZ', toWarehouse: null, reason: null, note: null }],
  ["buy 50 A-1001", { kind: 'request', lang: 'en', type: 'purchase', item: 'A-1001', qty: '50', unit: null, warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["request transfer A-1001 5 from SZ to SH note urgent", { kind: 'request', lang: 'en', type: 'transfer', item: 'A-1001', qty: '5', unit: null, warehouse: 'SZ', toWarehouse: 'SH', reason: null, note: 'urgent' }],
  ["申请出库", { kind: 'request', lang: 'zh', type: 'outbound', item: null, qty: null, unit: null, warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["出库 6901234567001 两个", { kind: 'request', lang: 'zh', type: 'outbound', item: '6901234567001', qty: '2', unit: '个', warehouse: null, toWarehouse: null, reason: null, note: null }],
  ["订阅库存日报", { lang: 'zh', kind: 'subscribe', topic: 'digest', warehouse: null }],
  ["订阅库存预警", { lang: 'zh', kind: 'subscribe', topic: 'alerts', warehouse: null }],
  ["订阅告警 深圳仓", { lang: 'zh', kind: 'subscribe', topic: 'alerts', warehouse: 'SZN' }],
  ["订阅 预警", { lang: 'zh', kind: 'subscribe', topic: 'alerts', warehouse: null }],
  ["取消订阅日报", { lang: 'zh', kind: 'unsubscribe', topic: 'digest', warehouse: null }],
  ["退订预警 苏州仓", { lang: 'zh', kind: 'unsubscribe', topic: 'alerts', warehouse: 'SZ' }],
  ["subscribe to digest", { lang: 'en', kind: 'subscribe', topic: 'digest', warehouse: null }],
  ["subscribe alert", { lang: 'en', kind: 'subscribe', topic: 'alerts', warehouse: null }],
  ["unsubscribe alerts SH", { lang: 'en', kind: 'unsubscribe', topic: 'alerts', warehouse: 'SH' }],
  ["unsubscribe from digest", { lang: 'en', kind: 'unsubscribe', topic: 'digest', warehouse: null }],
  ["今日日报", { lang: 'zh', kind: 'digest' }],
  ["库存日报", { lang: 'zh', kind: 'digest' }],
  ["今天的日报", { lang: 'zh', kind: 'digest' }],
  ["daily digest", { lang: 'en', kind: 'digest' }],
  ["digest", { lang: 'en', kind: 'digest' }],
  ["哈哈", { lang: 'zh', kind: 'unknown', text: '哈哈' }],
  ["再见", { lang: 'zh', kind: 'unknown', text: '再见' }],
  ["早上好", { lang: 'zh', kind: 'unknown', text: '早上好' }],
  ["你是谁", { lang: 'zh', kind: 'unknown', text: '你是谁' }],
  ["what is the weather like", { lang: 'en', kind: 'unknown', text: 'what is the weather like' }],
  ["good morning team", { lang: 'en', kind: 'unknown', text: 'good morning team' }],
  ["bye", { lang: 'en', kind: 'unknown', text: 'bye' }],
  ["", { lang: 'zh', kind: 'help' }],
];

describe('intents', () => {
  it('the table covers every intent kind in both languages', () => {
    const kinds = new Set(PHRASINGS.map(([, i]) => `${i.kind}:${i.lang}`));
    for (const k of ['stock', 'my_tasks', 'my_requests', 'request', 'help', 'subscribe', 'unsubscribe', 'digest', 'unknown']) {
      expect(kinds).toContain(`${k}:zh`);
      expect(kinds).toContain(`${k}:en`);
    }
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(PHRASINGS)('%s', (text, expected) => {
    expect(parseIntent(text, lexicon)).toEqual(expected);
  });
});

describe('pinyin initials and Chinese numerals', () => {
  it.each([
    ['螺丝M6', 'lsm6'],
    ['六角螺栓 M8×30', 'ljlsm830'],
    ['深沟球轴承6204', 'sgqzc6204'],
    ['不锈钢平垫片', 'bxgpdp'],
  ])('initialsOf(%s) = %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });

  it.each([
    ['五', 5],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['两百', 200],
    ['一百零五', 105],
    ['两千', 2000],
    ['三万', 30000],
    ['螺丝', null],
  ])('chineseNumber(%s) = %s', (text, n) => {
    expect(chineseNumber(text)).toBe(n);
  });
});
