export * from './companies.ts';
export * from './employees.ts';
export * from './warehouses.ts';
export * from './partners.ts';
export * from './items.ts';
export * from './documents.ts';
export * from './stock.ts';
export * from './tokens.ts';
