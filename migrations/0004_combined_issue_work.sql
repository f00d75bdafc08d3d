CREATE TABLE "namespace_claims" (
	"namespace" text NOT NULL,
	"publisher_id" text NOT NULL,
	"challenge_base_url" text NOT NULL,
	"challenge_token" text NOT NULL,
	"challenge_expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "namespace_claims_namespace_publisher_id_pk" PRIMARY KEY("namespace","publisher_id")
);
--> statement-breakpoint
DROP INDEX "revocations_kind_subject_key";--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "key_thumbprint" text;--> statement-breakpoint
ALTER TABLE "manifests" ADD COLUMN "legacy_server_json" jsonb;--> statement-breakpoint
ALTER TABLE "manifests" ADD COLUMN "signature_history" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "origin_approval" jsonb;--> statement-breakpoint
ALTER TABLE "namespace_claims" ADD CONSTRAINT "namespace_claims_namespace_namespaces_namespace_fk" FOREIGN KEY ("namespace") REFERENCES "public"."namespaces"("namespace") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "namespace_claims" ADD CONSTRAINT "namespace_claims_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "namespace_claims_publisher_idx" ON "namespace_claims" USING btree ("publisher_id","namespace");--> statement-breakpoint
CREATE INDEX "certificates_key_thumbprint_idx" ON "certificates" USING btree ("key_thumbprint");--> statement-breakpoint
CREATE INDEX "certificates_passport_idx" ON "certificates" USING btree ("passport_id");--> statement-breakpoint
CREATE INDEX "passports_kid_idx" ON "passports" USING btree ("kid");--> statement-breakpoint
CREATE UNIQUE INDEX "revocations_kind_subject_reason_key" ON "revocations" USING btree ("kind","subject","reason");--> statement-breakpoint
-- Hand-written (issue 11): versions published before the signed manifest carried `server_json`
-- keep serving, unchanged from now on, the server.json the registry API served for them when this
-- migration ran (the server record's description and repository at that moment).
UPDATE "manifests" AS m
SET "legacy_server_json" = jsonb_build_object(
    '$schema', 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    'name', s."name",
    'description', s."description",
    'version', m."version"
  ) || CASE WHEN s."repository" IS NULL OR jsonb_typeof(s."repository") = 'null' THEN '{}'::jsonb ELSE jsonb_build_object('repository', s."repository") END
FROM "servers" AS s
WHERE s."name" = m."server_name" AND NOT (m."payload"::jsonb ? 'server_json');
