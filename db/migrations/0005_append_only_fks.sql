ALTER TABLE "document_lines" DROP CONSTRAINT "document_lines_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "reservation_lines" DROP CONSTRAINT "reservation_lines_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "reservation_lines" DROP CONSTRAINT "reservation_lines_warehouse_id_warehouses_id_fk";
--> statement-breakpoint
ALTER TABLE "stock_ledger" DROP CONSTRAINT "stock_ledger_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "stock_ledger" DROP CONSTRAINT "stock_ledger_warehouse_id_warehouses_id_fk";
