import type { Locale } from '../../inventory/errors.ts';
import type { Lang } from './intent.ts';

export type { Lang };

export const localeOf = (lang: Lang): Locale => (lang === 'zh' ? 'zh-CN' : 'en');

type Params = Record<string, string | number>;
type Entry = Record<Lang, string | ((p: Params) => string)>;

/**
 * Every word the bot says, Chinese first. Cards, adapters and the console
 * take their text from here; nothing user-facing is spelled anywhere else.
 */
const catalogue = {
  unbound: {
    zh: (p) => `你的${p.platform}账号还没有绑定到员工，暂时不能查询或审批。请联系管理员绑定，或在小程序中登录一次完成绑定。`,
    en: (p) => `Your ${p.platform} account is not linked to an employee yet, so the bot cannot answer you. Ask an admin to link it, or sign in to the mini-app once.`,
  },
  unboundTitle: { zh: '账号未绑定', en: 'Account not linked' },
  helpTitle: { zh: '库存领航 · 能帮你做什么', en: 'StockPilot · what I can do' },
  helpLines: {
    zh: '查库存：A-1001还有多少 · 上海仓 六角螺栓 库存 · lsm6\n我的待办 / 我的申请\n申请出库 A-1001 5 个 上海仓 用途 样品\n采购 A-1001 100个 · 调拨 A-1001 20个 从上海仓到苏州仓\n群里：订阅日报 · 订阅预警 上海仓 · 退订日报',
    en: 'Stock: stock of A-1001 · how many A-1001 in SH · lsm6\nmy tasks / my requests\nrequest outbound A-1001 5 SH sample\npurchase 100 A-1001 · transfer 20 A-1001 from SH to SZ\nIn a group: subscribe digest · subscribe alerts SH · unsubscribe digest',
  },
  notUnderstood: {
    zh: (p) => `没听懂「${p.text}」。可以问我库存（如 A-1001还有多少）、我的待办，或发送「帮助」。`,
    en: (p) => `I did not understand "${p.text}". Ask about stock (e.g. stock of A-1001), my tasks, or send "help".`,
  },
  askItem: { zh: '查哪个物料？请发物料编码、条码或名称，例如：A-1001还有多少', en: 'Which item? Send its code, barcode or name, e.g. stock of A-1001' },
  noItem: { zh: (p) => `没有找到物料「${p.q}」`, en: (p) => `No item matches "${p.q}"` },
  closeMatches: { zh: '你是不是要找：', en: 'Did you mean:' },
  noSuggestion: { zh: '试试物料编码、条码或名称中的几个字。', en: 'Try the item code, barcode or a part of its name.' },
  pickTitle: { zh: (p) => `「${p.q}」匹配到 ${p.n} 个物料，请选择`, en: (p) => `"${p.q}" matches ${p.n} items; pick one` },
  pickMore: { zh: (p) => `还有 ${p.n} 个，请输入更具体的名称或编码`, en: (p) => `${p.n} more; type a more specific name or code` },
  warehouseOutOfScope: { zh: (p) => `你没有查看${p.warehouse}的权限`, en: (p) => `You may not see ${p.warehouse}` },
  noStockAnywhere: { zh: '你可查看的仓库中没有这个物料的库存', en: 'No stock of this item in the warehouses you can see' },
  onHand: { zh: '现有', en: 'On hand' },
  reserved: { zh: '预占', en: 'Reserved' },
  available: { zh: '可用', en: 'Available' },
  inTransit: { zh: '在途', en: 'In transit' },
  expired: { zh: '已过期', en: 'Expired' },
  warehouse: { zh: '仓库', en: 'Warehouse' },
  batch: { zh: '批次/效期', en: 'Batch / expiry' },
  safetyStock: { zh: '安全库存', en: 'Safety stock' },
  belowSafety: { zh: (p) => `${p.safety}（低于安全库存）`, en: (p) => `${p.safety} (below safety stock)` },
  aboveSafety: { zh: (p) => `${p.safety}（正常）`, en: (p) => `${p.safety} (ok)` },
  daysOfSupply: { zh: '可供天数', en: 'Days of supply' },
  daysValue: { zh: (p) => `约 ${p.days} 天（近${p.window}天日均出库 ${p.daily}）`, en: (p) => `about ${p.days} days (${p.daily}/day over ${p.window} days)` },
  noOutbound: { zh: (p) => `近${p.window}天无出库`, en: (p) => `no outbound in ${p.window} days` },
  unitCost: { zh: '单位成本', en: 'Unit cost' },
  stockValue: { zh: '库存金额', en: 'Stock value' },
  heldFor: { zh: (p) => `${p.qty} 已为 ${p.ref} 预占（${p.warehouse}）`, en: (p) => `${p.qty} reserved for ${p.ref} (${p.warehouse})` },
  expiredNote: { zh: (p) => `${p.qty} 在过期批次中，不计入可用`, en: (p) => `${p.qty} sit in expired batches and are not available` },
  expires: { zh: (p) => `${p.batch} 到期 ${p.date}`, en: (p) => `${p.batch} exp. ${p.date}` },
  openItem: { zh: '在小程序中查看', en: 'Open in the mini-app' },
  applyOutbound: { zh: '申请出库', en: 'Request outbound' },
  myTasks: { zh: '我的待办', en: 'My tasks' },
  myRequests: { zh: '我的申请', en: 'My requests' },
  myTasksTitle: { zh: (p) => `我的待办（${p.n}）`, en: (p) => `My tasks (${p.n})` },
  noTasks: { zh: '没有待你审批的申请', en: 'Nothing is waiting for your decision' },
  myRequestsTitle: { zh: '我的申请（最近 10 条）', en: 'My requests (latest 10)' },
  noRequests: { zh: '你还没有提交过申请', en: 'You have not submitted any request' },
  requestNo: { zh: '单号', en: 'No.' },
  requestType: { zh: '类型', en: 'Type' },
  requester: { zh: '申请人', en: 'Requester' },
  amount: { zh: '金额', en: 'Amount' },
  status: { zh: '状态', en: 'Status' },
  step: { zh: '环节', en: 'Step' },
  since: { zh: '提交于', en: 'Since' },
  item: { zh: '物料', en: 'Item' },
  qty: { zh: '数量', en: 'Qty' },
  availableNow: { zh: '当前可用', en: 'Available now' },
  fromTo: { zh: (p) => `${p.from} → ${p.to}`, en: (p) => `${p.from} → ${p.to}` },
  approve: { zh: '同意', en: 'Approve' },
  reject: { zh: '拒绝', en: 'Reject' },
  delegate: { zh: '转办', en: 'Delegate' },
  openInApp: { zh: '在小程序中打开', en: 'Open in the mini-app' },
  view: { zh: '查看', en: 'View' },
  timeline: { zh: '审批记录', en: 'Timeline' },
  waitingFor: { zh: (p) => `等待 ${p.who} 审批（${p.step}）`, en: (p) => `Waiting for ${p.who} (${p.step})` },
  decidedBy: { zh: (p) => `${p.who} 已${p.decision}（${p.at}）`, en: (p) => `${p.decision} by ${p.who} (${p.at})` },
  taskApproved: { zh: '同意', en: 'Approved' },
  taskRejected: { zh: '拒绝', en: 'Rejected' },
  taskDelegated: { zh: '转办', en: 'Delegated' },
  taskEscalated: { zh: '超时升级', en: 'Escalated' },
  newTask: { zh: (p) => `待你审批：${p.type} ${p.no}`, en: (p) => `For your approval: ${p.type} ${p.no}` },
  reminder: { zh: (p) => `催办：${p.type} ${p.no} 仍在等待你审批`, en: (p) => `Reminder: ${p.type} ${p.no} still awaits your decision` },
  escalation: { zh: (p) => `超时升级：${p.type} ${p.no} 转由你审批`, en: (p) => `Escalated: ${p.type} ${p.no} now awaits your decision` },
  outcome: { zh: (p) => `你的${p.type} ${p.no} ${p.status}`, en: (p) => `Your ${p.type} ${p.no} is ${p.status}` },
  failure: { zh: (p) => `${p.type} ${p.no} 执行失败：${p.reason}`, en: (p) => `${p.type} ${p.no} could not be carried out: ${p.reason}` },
  fulfilment: { zh: (p) => `${p.type} ${p.no}：${p.status}`, en: (p) => `${p.type} ${p.no}: ${p.status}` },
  decisionDone: { zh: (p) => `已${p.decision} ${p.no}`, en: (p) => `${p.decision}: ${p.no}` },
  decisionRefused: { zh: (p) => `未执行：${p.reason}`, en: (p) => `Not done: ${p.reason}` },
  tapExpired: { zh: '这个按钮已失效，请重新查询', en: 'This button no longer works; ask again' },
  confirmTitle: { zh: (p) => `确认提交${p.type}？`, en: (p) => `Submit this ${p.type}?` },
  submit: { zh: '提交', en: 'Submit' },
  editInApp: { zh: '在小程序中修改', en: 'Edit in the mini-app' },
  missingFields: { zh: (p) => `还缺少：${p.fields}。请补全后再发，例如：${p.example}`, en: (p) => `Missing: ${p.fields}. Send it again in full, e.g. ${p.example}` },
  submitted: { zh: (p) => `已提交 ${p.no}，等待审批`, en: (p) => `Submitted ${p.no}; waiting for approval` },
  submitFailed: { zh: '提交失败，未保存任何内容', en: 'Not submitted; nothing was saved' },
  subscribed: { zh: (p) => `本群已订阅${p.topic}${p.scope}`, en: (p) => `This group now receives the ${p.topic}${p.scope}` },
  alreadySubscribed: { zh: (p) => `本群已经订阅过${p.topic}${p.scope}`, en: (p) => `This group already receives the ${p.topic}${p.scope}` },
  unsubscribed: { zh: (p) => `本群已退订${p.topic}${p.scope}`, en: (p) => `This group no longer receives the ${p.topic}${p.scope}` },
  notSubscribed: { zh: (p) => `本群没有订阅${p.topic}${p.scope}`, en: (p) => `This group does not receive the ${p.topic}${p.scope}` },
  groupOnly: { zh: '订阅只能在群聊中进行：在群里 @我 发送「订阅日报」', en: 'Subscriptions are per group: @-mention me in the group and send "subscribe digest"' },
  scopeAll: { zh: '（全部仓库）', en: ' (all warehouses)' },
  scopeOne: { zh: (p) => `（${p.warehouse}）`, en: (p) => ` (${p.warehouse})` },
  digestNotReady: {
    zh: '日报尚未生成：每日库存日报功能正在建设中，订阅已记录，上线后按时推送。',
    en: 'No digest yet: the daily digest is being built; your subscription is kept and digests will arrive once it ships.',
  },
  somethingWrong: { zh: (p) => `出错了（${p.code}），未做任何更改`, en: (p) => `Something went wrong (${p.code}); nothing was changed` },
  andMore: { zh: (p) => `……还有 ${p.n} 行`, en: (p) => `… and ${p.n} more rows` },
} satisfies Record<string, Entry>;

export type WordKey = keyof typeof catalogue;

export function say(lang: Lang, key: WordKey, params: Params = {}): string {
  const entry: string | ((p: Params) => string) = catalogue[key][lang];
  return typeof entry === 'function' ? entry(params) : entry;
}

/** Names of request types, statuses and topics in both languages. */
const names = {
  purchase: { zh: '采购申请', en: 'purchase request' },
  outbound: { zh: '出库申请', en: 'outbound request' },
  transfer: { zh: '调拨申请', en: 'transfer request' },
  stocktake: { zh: '盘点差异', en: 'stocktake adjustment' },
  pending: { zh: '审批中', en: 'pending' },
  approved: { zh: '已通过', en: 'approved' },
  rejected: { zh: '已拒绝', en: 'rejected' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  completed: { zh: '已完成', en: 'completed' },
  failed: { zh: '执行失败', en: 'failed' },
  delegated: { zh: '已转办', en: 'delegated' },
  escalated: { zh: '已升级', en: 'escalated' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  approve: { zh: '同意', en: 'Approved' },
  reject: { zh: '拒绝', en: 'Rejected' },
  digest: { zh: '库存日报', en: 'daily digest' },
  alerts: { zh: '库存预警', en: 'stock alerts' },
  sales: { zh: '销售出库', en: 'sales' },
  requisition: { zh: '领料', en: 'requisition' },
  sample: { zh: '样品', en: 'sample' },
  submitted: { zh: '提交', en: 'submitted' },
  decided: { zh: '审批', en: 'decided' },
  fulfilled: { zh: '执行', en: 'fulfilled' },
  comment: { zh: '评论', en: 'comment' },
  delegate: { zh: '转办', en: 'delegated' },
  reminded: { zh: '催办', en: 'reminded' },
  posted: { zh: '已过账', en: 'posted' },
  accept: { zh: '接单', en: 'accepted' },
  pick: { zh: '拣货', en: 'picked' },
  check: { zh: '复核', en: 'checked' },
  ship: { zh: '发货', en: 'shipped' },
  receive: { zh: '收货', en: 'received' },
  accepted: { zh: '已接单', en: 'accepted' },
  picked: { zh: '已拣货', en: 'picked' },
  checked: { zh: '已复核', en: 'checked' },
  shipped: { zh: '已发货', en: 'shipped' },
  received: { zh: '已收货', en: 'received' },
  console: { zh: '控制台', en: 'console' },
  dingtalk: { zh: '钉钉', en: 'DingTalk' },
  feishu: { zh: '飞书', en: 'Feishu' },
  wecom: { zh: '企业微信', en: 'WeCom' },
  wechaty: { zh: '微信', en: 'WeChat' },
} satisfies Record<string, Record<Lang, string>>;

/** The word for a code (request type, status, topic …), or the code itself when there is none. */
export function nameOf(lang: Lang, code: string): string {
  return (names as Record<string, Record<Lang, string>>)[code]?.[lang] ?? code;
}
