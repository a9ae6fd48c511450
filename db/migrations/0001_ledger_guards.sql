-- The ledger is append-only: the database itself refuses to change history.
CREATE FUNCTION stockpilot_ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_ledger is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'SP001', HINT = 'Post a correcting document instead.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_ledger_no_update_delete
  BEFORE UPDATE OR DELETE ON stock_ledger
  FOR EACH ROW EXECUTE FUNCTION stockpilot_ledger_is_append_only();
--> statement-breakpoint
CREATE TRIGGER stock_ledger_no_truncate
  BEFORE TRUNCATE ON stock_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION stockpilot_ledger_is_append_only();
--> statement-breakpoint
-- Lets a single-statement posting abort itself when a guarded row was not
-- there to change (a reservation already consumed, a serial already issued).
-- The whole statement, and so the whole document, rolls back.
CREATE FUNCTION stockpilot_assert(ok boolean, code text, detail text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION '%', code USING ERRCODE = 'SP409', DETAIL = detail;
  END IF;
  RETURN true;
END;
$$;
