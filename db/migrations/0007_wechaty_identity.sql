ALTER TABLE "employees" ADD COLUMN "wechaty_id" text;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_wechaty_uq" UNIQUE("company_id","wechaty_id");