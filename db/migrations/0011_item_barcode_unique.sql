-- Items that already share a barcode must be told apart by someone who knows them: name them and stop.
DO $$
DECLARE clashes text;
BEGIN
  SELECT string_agg(format('company %s, barcode %s: items %s', company_id, barcode, codes), '; ') INTO clashes
  FROM (SELECT company_id, barcode, string_agg(code, ', ' ORDER BY code) AS codes
        FROM items WHERE barcode IS NOT NULL GROUP BY company_id, barcode HAVING count(*) > 1 LIMIT 20) d;
  IF clashes IS NOT NULL THEN
    RAISE EXCEPTION 'some items share a barcode; give each barcode to one item, then migrate again: %', clashes;
  END IF;
END $$;--> statement-breakpoint
DROP INDEX "items_company_barcode_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "items_company_barcode_uq" ON "items" USING btree ("company_id","barcode");