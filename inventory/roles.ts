/** The roles an employee can hold; approval policies may name only these. */
export const ROLES = ['admin', 'director', 'warehouse_manager', 'warehouse_keeper', 'purchaser', 'sales', 'finance', 'qc'] as const;
export type Role = (typeof ROLES)[number];

/** A role the product does not know, in both languages, with the ones it does. */
export const unknownRoleWords = (role: string): { en: string; zh: string } => ({
  en: `no role ${role}; allowed: ${ROLES.join(', ')}`,
  zh: `角色 ${role} 不存在，可选：${ROLES.join(', ')}`,
});
