ALTER TABLE "reservation_lines" DROP CONSTRAINT "reservation_lines_item_id_items_id_fk";
--> statement-breakpoint
ALTER TABLE "reservation_lines" DROP CONSTRAINT "reservation_lines_balance_id_stock_balances_id_fk";
--> statement-breakpoint
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_company_id_companies_id_fk";
