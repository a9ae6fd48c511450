import type { CategoryKey } from './demo-data.ts';

/**
 * How an item behaves in the 90 days of history, so that the demo shows what
 * a user looks for: fast movers (hot), items running short, dead stock (slow)
 * and batches about to expire, already expired, or scrapped after expiring.
 */
export type Profile = 'normal' | 'hot' | 'short' | 'slow' | 'expiring' | 'expired' | 'scrapped';

/** [name, spec, reference cost in yuan per base unit (≤ 4 decimals), profile] */
export type Variant = readonly [name: string, spec: string, cost: string, profile?: Profile];

export interface Family {
  category: CategoryKey;
  supplier: string;
  unit: string;
  /** Decimal places in the base unit: 3 for kg, 0 otherwise. */
  precision?: number;
  /** Alternate units; the first one is the pack goods are bought in. */
  units?: readonly (readonly [unit: string, factor: string])[];
  /** Set for batch-tracked goods with an expiry. */
  shelfLifeDays?: number;
  /** Typical company-wide consumption in base units per day. */
  demand: number;
  /** Chance that an item is also stocked in 苏州仓 / 深圳仓 (everything is in 上海仓). */
  alsoIn: { SZ: number; SZN: number };
  variants: readonly Variant[];
}

/** The item every chat example asks about; it must be A-1001, so it comes first. */
export const FEATURED_ITEM = '螺丝M6';

const BOX = [['盒', '100']] as const;
const BAG = [['包', '1000']] as const;
const REEL = (n: string) => [['盘', n]] as const;
const CARTON = (n: string) => [['箱', n]] as const;

const FASTENERS = { category: 'fasteners', unit: '个', alsoIn: { SZ: 0.7, SZN: 0.3 } } as const;
const ELECTRONICS = { category: 'electronics', unit: '个', alsoIn: { SZ: 0.5, SZN: 0.8 } } as const;
const PACKAGING = { category: 'packaging', alsoIn: { SZ: 0.6, SZN: 0.5 } } as const;
const CHEMICALS = { category: 'chemicals', alsoIn: { SZ: 0.5, SZN: 0.2 } } as const;

/** Item families in catalogue order; codes are numbered in this order (A-1001 is the first screw). */
export const FAMILIES: readonly Family[] = [
  // 紧固件 ─ A-1xxx
  {
    ...FASTENERS, supplier: 'S001', units: BOX, demand: 120,
    variants: [
      [FEATURED_ITEM, 'M6×20 不锈钢304', '0.0825', 'hot'],
      ['螺丝M3', 'M3×8 不锈钢304', '0.0285'],
      ['螺丝M4', 'M4×10 不锈钢304', '0.0360', 'hot'],
      ['螺丝M5', 'M5×12 不锈钢304', '0.0520'],
      ['螺丝M8', 'M8×25 不锈钢304', '0.1650'],
      ['螺丝M10', 'M10×30 不锈钢304', '0.2980', 'slow'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S001', units: BOX, demand: 60,
    variants: [
      ['沉头螺丝M3', 'M3×10 碳钢镀锌 GB819', '0.0150'],
      ['沉头螺丝M4', 'M4×12 碳钢镀锌 GB819', '0.0210'],
      ['沉头螺丝M5', 'M5×16 碳钢镀锌 GB819', '0.0320', 'short'],
      ['沉头螺丝M6', 'M6×20 碳钢镀锌 GB819', '0.0480'],
      ['沉头螺丝M8', 'M8×25 碳钢镀锌 GB819', '0.0950'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S002', units: BOX, demand: 50,
    variants: [
      ['内六角螺丝M4', 'M4×16 12.9级 发黑 GB70', '0.0420'],
      ['内六角螺丝M5', 'M5×20 12.9级 发黑 GB70', '0.0580'],
      ['内六角螺丝M6', 'M6×25 12.9级 发黑 GB70', '0.0860'],
      ['内六角螺丝M8', 'M8×30 12.9级 发黑 GB70', '0.1720'],
      ['内六角螺丝M10', 'M10×40 12.9级 发黑 GB70', '0.3350'],
      ['内六角螺丝M12', 'M12×50 12.9级 发黑 GB70', '0.5600', 'slow'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S002', units: BOX, demand: 30,
    variants: [
      ['六角螺栓M6', 'M6×30 8.8级 镀锌 GB5783', '0.0950'],
      ['六角螺栓M8', 'M8×40 8.8级 镀锌 GB5783', '0.1800'],
      ['六角螺栓M10', 'M10×50 8.8级 镀锌 GB5783', '0.3200'],
      ['六角螺栓M12', 'M12×60 8.8级 镀锌 GB5783', '0.5500'],
      ['六角螺栓M16', 'M16×80 8.8级 镀锌 GB5783', '1.3500'],
      ['六角螺栓M20', 'M20×100 8.8级 镀锌 GB5783', '2.6800', 'slow'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S001', units: BOX, demand: 90,
    variants: [
      ['六角螺母M3', 'M3 304不锈钢 GB6170', '0.0110'],
      ['六角螺母M4', 'M4 304不锈钢 GB6170', '0.0150'],
      ['六角螺母M5', 'M5 304不锈钢 GB6170', '0.0200'],
      ['六角螺母M6', 'M6 304不锈钢 GB6170', '0.0310', 'hot'],
      ['六角螺母M8', 'M8 304不锈钢 GB6170', '0.0580'],
      ['六角螺母M10', 'M10 304不锈钢 GB6170', '0.1050'],
      ['六角螺母M12', 'M12 304不锈钢 GB6170', '0.1620'],
      ['六角螺母M16', 'M16 304不锈钢 GB6170', '0.3900'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S002', units: BOX, demand: 25,
    variants: [
      ['防松螺母M6', 'M6 尼龙锁紧 镀锌 GB889', '0.0420'],
      ['防松螺母M8', 'M8 尼龙锁紧 镀锌 GB889', '0.0680'],
      ['防松螺母M10', 'M10 尼龙锁紧 镀锌 GB889', '0.1150'],
      ['防松螺母M12', 'M12 尼龙锁紧 镀锌 GB889', '0.1800'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S001', units: BAG, demand: 150,
    variants: [
      ['平垫片M3', 'Φ3.2×7×0.5 304不锈钢 GB97', '0.0045'],
      ['平垫片M4', 'Φ4.3×9×0.8 304不锈钢 GB97', '0.0060'],
      ['平垫片M5', 'Φ5.3×10×1 304不锈钢 GB97', '0.0080'],
      ['平垫片M6', 'Φ6.4×12×1.6 304不锈钢 GB97', '0.0120', 'hot'],
      ['平垫片M8', 'Φ8.4×16×1.6 304不锈钢 GB97', '0.0210'],
      ['平垫片M10', 'Φ10.5×20×2 304不锈钢 GB97', '0.0350'],
      ['平垫片M12', 'Φ13×24×2.5 304不锈钢 GB97', '0.0560'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S001', units: BAG, demand: 80,
    variants: [
      ['弹簧垫片M4', 'M4 65Mn 镀锌 GB93', '0.0055'],
      ['弹簧垫片M5', 'M5 65Mn 镀锌 GB93', '0.0070'],
      ['弹簧垫片M6', 'M6 65Mn 镀锌 GB93', '0.0095'],
      ['弹簧垫片M8', 'M8 65Mn 镀锌 GB93', '0.0160'],
      ['弹簧垫片M10', 'M10 65Mn 镀锌 GB93', '0.0260'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S002', units: BOX, demand: 100,
    variants: [
      ['自攻螺丝ST2.9', 'ST2.9×10 十字盘头 镀锌', '0.0090'],
      ['自攻螺丝ST3.5', 'ST3.5×16 十字盘头 镀锌', '0.0120'],
      ['自攻螺丝ST4.2', 'ST4.2×19 十字盘头 镀锌', '0.0160', 'short'],
      ['自攻螺丝ST4.8', 'ST4.8×25 十字盘头 镀锌', '0.0230'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S002', units: [['盒', '50']], demand: 8,
    variants: [
      ['膨胀螺栓M6', 'M6×60 碳钢镀锌', '0.3800'],
      ['膨胀螺栓M8', 'M8×80 碳钢镀锌', '0.5500'],
      ['膨胀螺栓M10', 'M10×100 碳钢镀锌', '0.8800'],
      ['膨胀螺栓M12', 'M12×120 碳钢镀锌', '1.4500', 'slow'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S001', units: BAG, demand: 60,
    variants: [
      ['抽芯铆钉3.2', 'Φ3.2×8 铝制 开口型', '0.0120'],
      ['抽芯铆钉4.0', 'Φ4.0×10 铝制 开口型', '0.0160'],
      ['抽芯铆钉4.8', 'Φ4.8×12 铝制 开口型', '0.0230'],
    ],
  },
  {
    ...FASTENERS, supplier: 'S002', units: BOX, demand: 6,
    variants: [
      ['吊环螺栓M8', 'M8 碳钢镀锌 GB825', '1.2500'],
      ['吊环螺栓M10', 'M10 碳钢镀锌 GB825', '1.8500'],
      ['蝶形螺母M6', 'M6 碳钢镀锌 GB62', '0.1800'],
      ['蝶形螺母M8', 'M8 碳钢镀锌 GB62', '0.2600'],
      ['弹性圆柱销3×16', 'Φ3×16 65Mn 发黑 GB879', '0.0300'],
      ['弹性圆柱销4×20', 'Φ4×20 65Mn 发黑 GB879', '0.0420'],
    ],
  },

  // 电子元件 ─ B-2xxx
  {
    ...ELECTRONICS, supplier: 'S003', units: REEL('5000'), demand: 900,
    variants: [
      ['贴片电阻0603 10K', '0603 10KΩ ±1% 1/10W', '0.0030', 'hot'],
      ['贴片电阻0603 1K', '0603 1KΩ ±1% 1/10W', '0.0030'],
      ['贴片电阻0603 4.7K', '0603 4.7KΩ ±1% 1/10W', '0.0030'],
      ['贴片电阻0603 100K', '0603 100KΩ ±1% 1/10W', '0.0030'],
      ['贴片电阻0603 0Ω', '0603 0Ω 跳线', '0.0025'],
      ['贴片电阻0805 10K', '0805 10KΩ ±1% 1/8W', '0.0042'],
      ['贴片电阻0805 1K', '0805 1KΩ ±1% 1/8W', '0.0042'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S003', units: REEL('4000'), demand: 700,
    variants: [
      ['贴片电容0603 100nF', '0603 100nF 50V X7R', '0.0048'],
      ['贴片电容0603 1uF', '0603 1uF 25V X5R', '0.0085'],
      ['贴片电容0805 10uF', '0805 10uF 25V X5R', '0.0260'],
      ['贴片电容0402 100nF', '0402 100nF 16V X7R', '0.0032'],
      ['贴片电容1206 22uF', '1206 22uF 25V X5R', '0.0850', 'short'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S004', units: [['包', '200']], demand: 40,
    variants: [
      ['电解电容100uF/25V', '6.3×11mm 105℃', '0.0580'],
      ['电解电容470uF/16V', '8×12mm 105℃', '0.0950'],
      ['电解电容1000uF/35V', '10×20mm 105℃', '0.2600'],
      ['电解电容220uF/50V', '8×12mm 105℃', '0.1200'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S004', units: [['包', '100']], demand: 30,
    variants: [
      ['排针 1×40P', '2.54mm 单排直针 镀金', '0.2800'],
      ['排母 1×40P', '2.54mm 单排直插 镀金', '0.6500'],
      ['XH2.54连接器 2P', 'XH2.54 2P 直针座+胶壳', '0.0850'],
      ['XH2.54连接器 3P', 'XH2.54 3P 直针座+胶壳', '0.1050'],
      ['XH2.54连接器 4P', 'XH2.54 4P 直针座+胶壳', '0.1250'],
      ['USB Type-C母座', '16P 沉板 SMT', '0.4500'],
      ['RJ45网口', '带灯 带屏蔽 卧式', '1.8500', 'slow'],
      ['接线端子KF301-2P', '5.0mm 2P 可拼接', '0.2300'],
      ['DC电源座5.5×2.1', 'DC-005 三脚插件', '0.1800'],
      ['FPC连接器0.5mm 24P', '0.5mm 24P 下接 翻盖', '0.3600'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S003', units: [['管', '50']], demand: 12,
    variants: [
      ['STM32F103C8T6单片机', 'LQFP48 ARM Cortex-M3 64KB', '6.8000', 'hot'],
      ['ESP32-WROOM-32E模组', 'WiFi+蓝牙 4MB Flash', '14.5000'],
      ['CH340G芯片', 'USB转串口 SOP16', '1.2500'],
      ['AMS1117-3.3稳压芯片', 'LDO 1A SOT-223', '0.1800'],
      ['NE555定时器', 'SOP8', '0.2200'],
      ['LM358运放', '双运放 SOP8', '0.1900'],
      ['74HC595芯片', '8位移位寄存器 SOP16', '0.2600'],
      ['TP4056充电芯片', '锂电池充电 ESOP8', '0.2400'],
      ['MP1584EN降压芯片', 'DC-DC 3A SOIC8', '1.3500', 'short'],
      ['W25Q64存储芯片', 'SPI Flash 64Mbit SOP8', '1.6500'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S004', units: REEL('3000'), demand: 300,
    variants: [
      ['整流二极管1N4007', 'SMA(DO-214AC) 1A 1000V', '0.0120'],
      ['肖特基二极管1N5819', 'SOD-123 1A 40V', '0.0150'],
      ['肖特基二极管SS34', 'SMA 3A 40V', '0.0280'],
      ['LED灯珠0603 红', '0603 红光 高亮', '0.0060'],
      ['LED灯珠0603 绿', '0603 翠绿 高亮', '0.0070'],
      ['LED灯珠0603 蓝', '0603 蓝光 高亮', '0.0080'],
      ['LED灯珠0603 白', '0603 白光 高亮', '0.0085'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S003', units: REEL('3000'), demand: 200,
    variants: [
      ['三极管S8050', 'SOT-23 NPN 0.5A', '0.0100'],
      ['三极管S8550', 'SOT-23 PNP 0.5A', '0.0100'],
      ['MOS管AO3400', 'SOT-23 N沟道 5.8A 30V', '0.0550'],
      ['MOS管2N7002', 'SOT-23 N沟道 0.3A 60V', '0.0200'],
    ],
  },
  {
    ...ELECTRONICS, supplier: 'S004', units: [['包', '100']], demand: 25,
    variants: [
      ['无源晶振8MHz', 'HC-49S 20pF', '0.1800'],
      ['无源晶振12MHz', 'HC-49S 20pF', '0.1800'],
      ['晶振32.768kHz', '2×6 圆柱 12.5pF', '0.1200'],
      ['自恢复保险丝0.5A', '1206 SMD 6V', '0.0650'],
      ['继电器SRD-05VDC', '5V 10A 一开一闭', '1.4500'],
      ['有源蜂鸣器5V', '12×9.5mm', '0.2800'],
      ['贴片电感10uH', 'CD54 2A', '0.1500'],
      ['贴片电感4.7uH', 'CD32 1.2A', '0.1200'],
      ['共模电感', 'UU9.8 20mH', '0.6500', 'slow'],
      ['杜邦线 公对母', '20cm 40P 一排', '2.8000'],
      ['杜邦线 母对母', '20cm 40P 一排', '2.8000'],
      ['热缩管Φ3', '黑色 2:1 每米', '0.1800'],
    ],
  },

  // 包装材料 ─ C-3xxx
  {
    ...PACKAGING, supplier: 'S006', unit: '个', units: [['捆', '20']], demand: 40,
    variants: [
      ['纸箱1号', '530×290×370mm 五层特硬', '5.6000'],
      ['纸箱2号', '530×230×290mm 五层特硬', '4.2000'],
      ['纸箱3号', '430×210×270mm 五层特硬', '3.1000', 'short'],
      ['纸箱4号', '350×190×230mm 三层加硬', '1.9500', 'hot'],
      ['纸箱5号', '290×170×190mm 三层加硬', '1.4000'],
      ['纸箱6号', '260×150×180mm 三层加硬', '1.1500'],
      ['纸箱7号', '230×130×160mm 三层加硬', '0.9000'],
      ['纸箱8号', '210×110×140mm 三层加硬', '0.7200'],
      ['飞机盒F3', '200×150×50mm 三层特硬', '0.8500'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S005', unit: '卷', demand: 3,
    variants: [
      ['气泡膜30cm', '宽30cm×长100m 双层加厚', '18.5000'],
      ['气泡膜50cm', '宽50cm×长80m 双层加厚', '26.0000'],
      ['气泡膜100cm', '宽100cm×长50m 双层加厚', '32.0000'],
      ['珍珠棉EPE 2mm', '宽1m×长100m 2mm', '45.0000'],
      ['珍珠棉EPE 5mm', '宽1m×长50m 5mm', '58.0000', 'slow'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S005', unit: '卷', units: CARTON('24'), demand: 12,
    variants: [
      ['透明封箱胶带48mm', '48mm×100m 厚2.5丝', '3.2000', 'hot'],
      ['透明封箱胶带60mm', '60mm×100m 厚2.5丝', '4.1000'],
      ['米黄封箱胶带48mm', '48mm×100m 厚2.5丝', '3.4000'],
      ['警示胶带 易碎勿压', '48mm×100m 红底白字', '4.6000'],
      ['牛皮纸胶带48mm', '48mm×50m 可写字', '5.2000'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S005', unit: '卷', units: CARTON('60'), demand: 4,
    variants: [
      ['美纹纸胶带24mm', '24mm×50m 耐高温', '2.3000'],
      ['双面胶12mm', '12mm×50m 棉纸 强力', '1.6000'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S005', unit: 'kg', precision: 3, units: [['卷', '4.5']], demand: 9,
    variants: [
      ['缠绕膜50cm', '宽50cm 20μm 手用 含管芯', '11.8000'],
      ['缠绕膜30cm', '宽30cm 18μm 手用 含管芯', '12.2000'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S006', unit: 'kg', precision: 3, units: [['卷', '10']], demand: 6,
    variants: [
      ['PP打包带 手工', '宽15mm 厚0.8mm 白色', '8.6000'],
      ['PP打包带 机用', '宽12mm 厚0.7mm 透明', '9.2000', 'slow'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S005', unit: '个', units: [['包', '100']], demand: 60,
    variants: [
      ['防静电屏蔽袋10×15', '10×15cm 平口', '0.0900'],
      ['防静电屏蔽袋15×20', '15×20cm 自封', '0.1600'],
      ['防静电屏蔽袋20×30', '20×30cm 自封', '0.2800'],
      ['自封袋6×8', '6×8cm 8丝', '0.0150'],
      ['自封袋8×12', '8×12cm 8丝', '0.0220'],
      ['自封袋10×15', '10×15cm 12丝', '0.0380'],
      ['自封袋15×22', '15×22cm 12丝', '0.0650'],
      ['PE平口袋30×40', '30×40cm 5丝', '0.1200'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S006', unit: '卷', units: CARTON('20'), demand: 3,
    variants: [
      ['热敏标签纸100×100', '100×100mm 500张/卷 三防', '9.8000'],
      ['热敏标签纸60×40', '60×40mm 800张/卷 三防', '6.5000'],
      ['快递面单76×130', '76×130mm 500张/卷', '7.2000'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S006', unit: '个', demand: 1,
    variants: [
      ['木托盘1200×1000', '免熏蒸 四面进叉 承重1.5T', '68.0000'],
      ['塑料托盘1200×1000', '川字型 网格面 承重1T', '135.0000', 'slow'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S005', unit: '包', units: CARTON('1000'), demand: 50,
    variants: [
      ['干燥剂5g', '5g 硅胶 无纺布小包', '0.0450'],
      ['干燥剂10g', '10g 硅胶 无纺布小包', '0.0750'],
    ],
  },
  {
    ...PACKAGING, supplier: 'S006', unit: '根', units: [['捆', '50']], demand: 20,
    variants: [
      ['纸护角50×50', '50×50×5mm 长1m', '0.6500'],
      ['尼龙扎带3×100', '3×100mm 白色 1000根/包', '0.0060'],
      ['尼龙扎带4×200', '4×200mm 黑色 1000根/包', '0.0130'],
    ],
  },

  // 化工辅料 ─ D-4xxx, all batch-tracked with a shelf life
  {
    ...CHEMICALS, supplier: 'S007', unit: '瓶', units: CARTON('50'), shelfLifeDays: 365, demand: 6,
    variants: [
      ['502瞬干胶', '20g 快干型', '1.8500', 'expiring'],
      ['401瞬干胶', '20g 低白化', '4.5000'],
      ['UV无影胶', '50ml 玻璃金属粘接', '12.8000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S007', unit: '支', units: [['盒', '12']], shelfLifeDays: 730, demand: 3,
    variants: [
      ['AB胶 环氧树脂', '50ml 5分钟快干', '8.5000'],
      ['硅酮密封胶', '300ml 中性 透明', '11.5000'],
      ['导热硅胶', '100g 单组份 白色', '15.0000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S007', unit: '瓶', units: CARTON('20'), shelfLifeDays: 730, demand: 2,
    variants: [
      ['螺纹锁固剂243', '50ml 中强度 蓝色', '26.0000', 'expired'],
      ['厌氧胶648', '50ml 圆柱固持 绿色', '28.5000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S007', unit: 'kg', precision: 3, units: [['箱', '25']], shelfLifeDays: 730, demand: 2,
    variants: [
      ['热熔胶棒11mm', 'Φ11×270mm 透明 高粘', '22.0000'],
      ['白乳胶', '聚醋酸乙烯 木工用', '9.8000', 'scrapped'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S007', unit: '桶', shelfLifeDays: 1095, demand: 0.4,
    variants: [
      ['导轨油68#', '18L/桶', '268.0000'],
      ['液压油46#', '18L/桶 抗磨', '235.0000'],
      ['齿轮油220#', '18L/桶 中负荷', '298.0000', 'slow'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S007', unit: 'kg', precision: 3, units: [['桶', '15']], shelfLifeDays: 1095, demand: 1.5,
    variants: [
      ['锂基润滑脂00#', '半流体 集中润滑', '18.5000'],
      ['高温润滑脂', '耐温260℃ 红色', '42.0000'],
      ['防锈油', '薄层 工序间防锈', '16.8000'],
      ['水溶性切削液', '半合成 稀释比1:20', '14.5000'],
      ['甲基硅油', '201 粘度350cs', '38.0000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S008', unit: '瓶', units: CARTON('24'), shelfLifeDays: 1095, demand: 4,
    variants: [
      ['防锈润滑剂', '450ml 喷罐', '16.5000'],
      ['化油器清洗剂', '450ml 喷罐', '9.8000'],
      ['电子清洁剂', '550ml 快干 不伤塑料', '18.0000'],
      ['接点复活剂', '220ml 喷罐 精密电器', '21.0000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S008', unit: '瓶', units: CARTON('20'), shelfLifeDays: 730, demand: 5,
    variants: [
      ['异丙醇IPA', '500ml 99.9% 电子级', '15.5000'],
      ['无水乙醇', '500ml 99.7% 分析纯', '12.0000'],
      ['75%酒精', '500ml 消毒用', '6.5000'],
      ['洗板水', '500ml 环保型', '11.0000'],
      ['丙酮', '500ml 分析纯', '13.5000'],
      ['助焊剂', '500ml 免清洗', '24.0000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S008', unit: '桶', shelfLifeDays: 730, demand: 0.5,
    variants: [
      ['除油清洗剂', '20L/桶 碱性 水基', '185.0000'],
      ['三防漆', '5L/桶 丙烯酸', '420.0000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S003', unit: '瓶', units: [['箱', '10']], shelfLifeDays: 180, demand: 1,
    variants: [
      ['无铅焊锡膏', '500g SAC305 需冷藏', '168.0000', 'expiring'],
      ['有铅焊锡膏', '500g Sn63Pb37 需冷藏', '96.0000'],
    ],
  },
  {
    ...CHEMICALS, supplier: 'S007', unit: '支', units: [['盒', '20']], shelfLifeDays: 1095, demand: 1.5,
    variants: [
      ['导热硅脂', '30g 导热系数3.0', '9.5000'],
      ['脱模剂', '450ml 喷罐 硅油型', '14.0000', 'expiring'],
    ],
  },
];

export const CODE_PREFIX: Record<CategoryKey, { letter: string; first: number }> = {
  fasteners: { letter: 'A', first: 1001 },
  electronics: { letter: 'B', first: 2001 },
  packaging: { letter: 'C', first: 3001 },
  chemicals: { letter: 'D', first: 4001 },
};
