/** The roles an employee can hold; approval policies may name only these. */
export const ROLES = ['admin', 'director', 'warehouse_manager', 'warehouse_keeper', 'purchaser', 'sales', 'finance', 'qc'] as const;
export type Role = (typeof ROLES)[number];
