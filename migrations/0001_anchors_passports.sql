CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"publisher_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
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
CREATE TABLE "trust_anchors" (
	"version" integer PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passport_chain_links" ADD CONSTRAINT "passport_chain_links_passport_id_passports_passport_id_fk" FOREIGN KEY ("passport_id") REFERENCES "public"."passports"("passport_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passport_challenges" ADD CONSTRAINT "passport_challenges_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passports" ADD CONSTRAINT "passports_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passports" ADD CONSTRAINT "passports_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_publisher_name_key" ON "agents" USING btree ("publisher_id","name");--> statement-breakpoint
CREATE INDEX "passport_challenges_expires_idx" ON "passport_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "passports_lineage_idx" ON "passports" USING btree ("lineage_id","issued_at");--> statement-breakpoint
CREATE INDEX "passports_agent_idx" ON "passports" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "passports_publisher_idx" ON "passports" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "passports_state_idx" ON "passports" USING btree ("state","expires_at");