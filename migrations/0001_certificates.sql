CREATE SEQUENCE "public"."crl_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "certificates" (
	"serial" text PRIMARY KEY NOT NULL,
	"profile" text NOT NULL,
	"subject" text NOT NULL,
	"passport_id" text,
	"publisher_id" text NOT NULL,
	"issuer_kid" text NOT NULL,
	"sans" jsonb NOT NULL,
	"key_type" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"pem" text NOT NULL,
	"renewed_from" text,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text
);
--> statement-breakpoint
CREATE TABLE "crls" (
	"crl_number" bigint PRIMARY KEY NOT NULL,
	"issuer_kid" text NOT NULL,
	"this_update" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone NOT NULL,
	"entries" integer NOT NULL,
	"der" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_issuer_kid_authority_keys_kid_fk" FOREIGN KEY ("issuer_kid") REFERENCES "public"."authority_keys"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crls" ADD CONSTRAINT "crls_issuer_kid_authority_keys_kid_fk" FOREIGN KEY ("issuer_kid") REFERENCES "public"."authority_keys"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificates_publisher_idx" ON "certificates" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "certificates_subject_idx" ON "certificates" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "certificates_revoked_idx" ON "certificates" USING btree ("issuer_kid","serial") WHERE "certificates"."revoked_at" is not null;--> statement-breakpoint
CREATE INDEX "crls_issuer_number_idx" ON "crls" USING btree ("issuer_kid","crl_number");