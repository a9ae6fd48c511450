import { z } from 'zod';
import type { Locale } from '../errors.ts';
import { unknownRoleWords } from '../roles.ts';

type P = Record<string, string | number>;

/** What an import says about a row, in both languages. */
const catalogue = {
  required: { 'zh-CN': () => '必填', en: () => 'required' },
  missingColumn: { 'zh-CN': () => '缺少此列', en: () => 'this column is missing' },
  noHeader: { 'zh-CN': () => '文件没有表头行', en: () => 'the file has no header row' },
  tooManyRows: { 'zh-CN': (p: P) => `一次最多导入 ${p.max} 行，请拆分文件`, en: (p: P) => `at most ${p.max} rows per import; split the file` },
  duplicateInFile: { 'zh-CN': (p: P) => `${p.value} 与第 ${p.row} 行重复`, en: (p: P) => `${p.value} repeats row ${p.row}` },
  exists: { 'zh-CN': (p: P) => `${p.value} 已存在`, en: (p: P) => `${p.value} already exists` },
  barcodeTaken: { 'zh-CN': (p: P) => `条码 ${p.value} 已属于物料 ${p.item}`, en: (p: P) => `barcode ${p.value} already belongs to item ${p.item}` },
  unknown: { 'zh-CN': (p: P) => `找不到${p.whatZh}：${p.value}`, en: (p: P) => `no ${p.what} ${p.value}` },
  unknownRole: { 'zh-CN': (p: P) => unknownRoleWords(String(p.value)).zh, en: (p: P) => unknownRoleWords(String(p.value)).en },
  ownManager: { 'zh-CN': () => '不能是自己的上级', en: () => 'cannot be their own manager' },
  outOfScope: { 'zh-CN': (p: P) => `您无权操作仓库 ${p.value}`, en: (p: P) => `warehouse ${p.value} is outside your scope` },
  unitClash: { 'zh-CN': () => '辅助单位须不同于基本单位，换算系数须大于 0', en: () => 'an alternate unit must differ from the base unit and have a factor > 0' },
  unitsFormat: { 'zh-CN': () => '格式应为 单位=系数，多个用逗号分隔，如 箱=24, 盒=6', en: () => 'write unit=factor, separated by commas, e.g. box=24, pack=6' },
  positive: { 'zh-CN': () => '须大于 0', en: () => 'must be greater than 0' },
  decimals: { 'zh-CN': (p: P) => `物料 ${p.item} 最多 ${p.places} 位小数`, en: (p: P) => `item ${p.item} allows at most ${p.places} decimal place(s)` },
  notDecimal: { 'zh-CN': () => '应为数字，最多 6 位小数', en: () => 'expected a number with at most 6 decimals' },
  unitNotDefined: { 'zh-CN': (p: P) => `物料 ${p.item} 没有单位 ${p.value}，可选：${p.allowed}`, en: (p: P) => `item ${p.item} has no unit ${p.value}; allowed: ${p.allowed}` },
  batchRequired: { 'zh-CN': (p: P) => `物料 ${p.item} 按批次管理，须填写批次号`, en: (p: P) => `item ${p.item} is batch-tracked: a batch number is required` },
  batchNotTracked: { 'zh-CN': (p: P) => `物料 ${p.item} 不按批次管理`, en: (p: P) => `item ${p.item} is not batch-tracked` },
  batchDates: { 'zh-CN': (p: P) => `批次 ${p.value} 已有到期日 ${p.expiry}`, en: (p: P) => `batch ${p.value} already has expiry ${p.expiry}` },
  serialsRequired: { 'zh-CN': (p: P) => `物料 ${p.item} 按序列号管理，须列出每件的序列号，数量须一致`, en: (p: P) => `item ${p.item} is serial-tracked: list one serial number per unit` },
  serialsNotTracked: { 'zh-CN': (p: P) => `物料 ${p.item} 不按序列号管理`, en: (p: P) => `item ${p.item} is not serial-tracked` },
  serialTaken: { 'zh-CN': (p: P) => `序列号 ${p.value} 已在库或重复`, en: (p: P) => `serial ${p.value} is already in stock or listed twice` },
} satisfies Record<string, Record<Locale, (p: P) => string>>;

export type MessageKey = keyof typeof catalogue;

export function say(locale: Locale, key: MessageKey, params: P = {}): string {
  return catalogue[key][locale](params);
}

/** What the shared entity words are, for `unknown`. */
export const WHAT = {
  supplier: { what: 'supplier', whatZh: '供应商' },
  warehouse: { what: 'warehouse', whatZh: '仓库' },
  item: { what: 'item', whatZh: '物料' },
  location: { what: 'location', whatZh: '库位' },
  employee: { what: 'employee', whatZh: '员工' },
} as const;

/** The master schemas' own refinement messages are English; a Chinese reader gets these instead. */
const SCHEMA_WORDS_ZH: Record<string, string> = {
  'letters, digits and _ . - / # only': '只能包含字母、数字和 _ . - / #',
  'letters, digits, _ . - only': '只能包含字母、数字和 _ . -',
  'expected a number ≥ 0 with at most 6 decimals': '应为 ≥ 0 的数字，最多 6 位小数',
  'expected a date as YYYY-MM-DD': '日期格式应为 YYYY-MM-DD',
};

const zodLocales = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError };

/** A zod error map in the user's language; an absent value reads "required". */
export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return say(locale, 'required');
    return zodLocales[locale](issue);
  };
}

/** A zod issue message as the user should read it. */
export function localizeMessage(message: string, locale: Locale): string {
  return locale === 'zh-CN' ? (SCHEMA_WORDS_ZH[message] ?? message) : message;
}
