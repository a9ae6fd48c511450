import type { PolicyInput } from '../../inventory/approvals/policy.ts';

/**
 * The demo company's approval policies (审批流): what a Chinese SME typically
 * runs — warehouse manager first, finance and QC countersign purchases, the
 * director above ¥10,000, reminders after 2 h and escalation after 8 h.
 */
export const DEMO_POLICIES: PolicyInput[] = [
  {
    requestType: 'purchase',
    name: '采购审批',
    steps: [
      {
        name: '仓库主管',
        mode: 'any',
        approvers: [{ kind: 'role', role: 'warehouse_manager', warehouseScoped: true }],
        remindAfter: '2h',
        escalateAfter: '8h',
        escalateTo: { kind: 'manager' },
      },
      { name: '财务+质检', mode: 'all', approvers: [{ kind: 'role', role: 'finance' }, { kind: 'role', role: 'qc' }], remindAfter: '4h' },
      { name: '总监', mode: 'any', approvers: [{ kind: 'role', role: 'director' }], when: { amountAbove: 10000 } },
    ],
  },
  {
    requestType: 'outbound',
    name: '出库审批',
    steps: [
      {
        name: '仓库主管',
        mode: 'any',
        approvers: [{ kind: 'role', role: 'warehouse_manager', warehouseScoped: true }],
        remindAfter: '2h',
        escalateAfter: '8h',
        escalateTo: { kind: 'manager' },
      },
      { name: '总监', mode: 'any', approvers: [{ kind: 'role', role: 'director' }], when: { amountAbove: 10000 } },
    ],
  },
  {
    requestType: 'transfer',
    name: '调拨审批',
    steps: [{ name: '调出仓主管', mode: 'any', approvers: [{ kind: 'role', role: 'warehouse_manager', warehouseScoped: true }], remindAfter: '4h' }],
  },
  {
    requestType: 'stocktake',
    name: '盘点差异审批',
    steps: [
      { name: '仓库主管', mode: 'any', approvers: [{ kind: 'role', role: 'warehouse_manager', warehouseScoped: true }] },
      { name: '财务', mode: 'any', approvers: [{ kind: 'role', role: 'finance' }] },
    ],
  },
];
