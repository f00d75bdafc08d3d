CREATE SEQUENCE "public"."crl_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"csrf_token" text NOT NULL,
	"client_address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"publisher_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "manifests" (
	"digest" text PRIMARY KEY NOT NULL,
	"server_name" text NOT NULL,
	"version" text NOT NULL,
	"position" integer NOT NULL,
	"content_digest" text NOT NULL,
	"payload" text NOT NULL,
	"signatures" jsonb NOT NULL,
	"state" text NOT NULL,
	"status_reason" text,
	"status_changed_at" timestamp with time zone,
	"is_latest" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "namespaces" (
	"namespace" text PRIMARY KEY NOT NULL,
	"publisher_id" text NOT NULL,
	"status" text NOT NULL,
	"challenge_base_url" text NOT NULL,
	"challenge_token" text NOT NULL,
	"challenge_expires_at" timestamp with time zone NOT NULL,
	"verification_method" text,
	"verified_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "passport_chain_links" (
	"lineage_id" text NOT NULL,
	"seq" integer NOT NULL,
	"passport_id" text NOT NULL,
	"document" jsonb NOT NULL,
	CONSTRAINT "passport_chain_links_lineage_id_seq_pk" PRIMARY KEY("lineage_id","seq")
);
--> statement-breakpoint
CREATE TABLE "passport_challenges" (
	"nonce_hash" text PRIMARY KEY NOT NULL,
	"publisher_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "passports" (
	"passport_id" text PRIMARY KEY NOT NULL,
	"publisher_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_name" text NOT NULL,
	"agent_id" text,
	"lineage_id" text NOT NULL,
	"kid" text NOT NULL,
	"trust_level" integer NOT NULL,
	"state" text NOT NULL,
	"document" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"superseded_at" timestamp with time zone,
	"superseded_by" text,
	"approval_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "revocations" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"reason" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "servers" (
	"name" text PRIMARY KEY NOT NULL,
	"namespace" text NOT NULL,
	"publisher_id" text NOT NULL,
	"origin" text NOT NULL,
	"description" text NOT NULL,
	"repository" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_anchors" (
	"version" integer PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_user_id_admin_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."admin_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_issuer_kid_authority_keys_kid_fk" FOREIGN KEY ("issuer_kid") REFERENCES "public"."authority_keys"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crls" ADD CONSTRAINT "crls_issuer_kid_authority_keys_kid_fk" FOREIGN KEY ("issuer_kid") REFERENCES "public"."authority_keys"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manifests" ADD CONSTRAINT "manifests_server_name_servers_name_fk" FOREIGN KEY ("server_name") REFERENCES "public"."servers"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "namespaces" ADD CONSTRAINT "namespaces_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passport_chain_links" ADD CONSTRAINT "passport_chain_links_passport_id_passports_passport_id_fk" FOREIGN KEY ("passport_id") REFERENCES "public"."passports"("passport_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passport_challenges" ADD CONSTRAINT "passport_challenges_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passports" ADD CONSTRAINT "passports_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passports" ADD CONSTRAINT "passports_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_namespace_namespaces_namespace_fk" FOREIGN KEY ("namespace") REFERENCES "public"."namespaces"("namespace") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_sessions_secret_hash_key" ON "admin_sessions" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "admin_sessions_expires_idx" ON "admin_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_username_key" ON "admin_users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_publisher_name_key" ON "agents" USING btree ("publisher_id","name");--> statement-breakpoint
CREATE INDEX "certificates_publisher_idx" ON "certificates" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "certificates_subject_idx" ON "certificates" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "certificates_revoked_idx" ON "certificates" USING btree ("issuer_kid","serial") WHERE "certificates"."revoked_at" is not null;--> statement-breakpoint
CREATE INDEX "crls_issuer_number_idx" ON "crls" USING btree ("issuer_kid","crl_number");--> statement-breakpoint
CREATE UNIQUE INDEX "manifests_server_version_key" ON "manifests" USING btree ("server_name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "manifests_server_position_key" ON "manifests" USING btree ("server_name","position");--> statement-breakpoint
CREATE UNIQUE INDEX "manifests_one_latest_key" ON "manifests" USING btree ("server_name") WHERE "manifests"."is_latest";--> statement-breakpoint
CREATE INDEX "manifests_updated_at_idx" ON "manifests" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "namespaces_publisher_idx" ON "namespaces" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "namespaces_status_idx" ON "namespaces" USING btree ("status");--> statement-breakpoint
CREATE INDEX "passport_challenges_expires_idx" ON "passport_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "passports_lineage_idx" ON "passports" USING btree ("lineage_id","issued_at");--> statement-breakpoint
CREATE INDEX "passports_agent_idx" ON "passports" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "passports_publisher_idx" ON "passports" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "passports_state_idx" ON "passports" USING btree ("state","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "revocations_kind_subject_key" ON "revocations" USING btree ("kind","subject");--> statement-breakpoint
CREATE INDEX "servers_namespace_idx" ON "servers" USING btree ("namespace");--> statement-breakpoint
CREATE INDEX "servers_publisher_idx" ON "servers" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "sign_in_failures_key_at_idx" ON "sign_in_failures" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_at_idx" ON "sign_in_failures" USING btree ("at");