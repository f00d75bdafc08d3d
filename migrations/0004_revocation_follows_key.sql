DROP INDEX "revocations_kind_subject_key";--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "key_thumbprint" text;--> statement-breakpoint
CREATE INDEX "certificates_key_thumbprint_idx" ON "certificates" USING btree ("key_thumbprint");--> statement-breakpoint
CREATE INDEX "certificates_passport_idx" ON "certificates" USING btree ("passport_id");--> statement-breakpoint
CREATE INDEX "passports_kid_idx" ON "passports" USING btree ("kid");--> statement-breakpoint
CREATE UNIQUE INDEX "revocations_kind_subject_reason_key" ON "revocations" USING btree ("kind","subject","reason");