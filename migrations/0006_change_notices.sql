-- Change notices for the caches of signed reads (status documents, /api/crl, OCSP answers,
-- feed pages): every statement that changes one of these tables sends NOTIFY ta_changes with
-- the table's name, delivered at commit to every instance listening (src/db/change-notices.ts).
-- Statement-level, so a bulk revocation is one notice per table and transaction (PostgreSQL
-- folds identical notices of one transaction).
CREATE OR REPLACE FUNCTION ta_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ta_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER passports_change_notice AFTER INSERT OR UPDATE OR DELETE ON passports FOR EACH STATEMENT EXECUTE FUNCTION ta_notify_change();
--> statement-breakpoint
CREATE TRIGGER certificates_change_notice AFTER INSERT OR UPDATE OR DELETE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION ta_notify_change();
--> statement-breakpoint
CREATE TRIGGER authority_keys_change_notice AFTER INSERT OR UPDATE OR DELETE ON authority_keys FOR EACH STATEMENT EXECUTE FUNCTION ta_notify_change();
--> statement-breakpoint
CREATE TRIGGER revocations_change_notice AFTER INSERT OR UPDATE OR DELETE ON revocations FOR EACH STATEMENT EXECUTE FUNCTION ta_notify_change();
