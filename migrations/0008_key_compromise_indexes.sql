-- Partial indexes for the key-compromise check made before every issuance (src/db/stores:
-- compromisedCertificatesQuery, compromisedPassportsQuery): only keyCompromise rows are read,
-- however many certificates or passports the key already has.
CREATE INDEX "certificates_key_compromised_idx" ON "certificates" USING btree ("key_thumbprint") WHERE "certificates"."revocation_reason" = 'keyCompromise';--> statement-breakpoint
CREATE INDEX "passports_kid_compromised_idx" ON "passports" USING btree ("kid") WHERE "passports"."revocation_reason" = 'keyCompromise';
