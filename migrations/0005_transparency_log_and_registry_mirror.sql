CREATE TABLE "log_checkpoints" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"document" jsonb NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "log_tree_nodes" (
	"level" smallint NOT NULL,
	"idx" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "log_tree_nodes_level_idx_pk" PRIMARY KEY("level","idx")
);
--> statement-breakpoint
-- The events that predate the tree keep their seq; new events get theirs from the sequencer.
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_pkey";--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_publisher_id" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "outcome" text DEFAULT 'success' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "source_address" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_seq_idx" ON "audit_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_events_unsequenced_idx" ON "audit_events" USING btree ("id") WHERE "audit_events"."seq" is null;--> statement-breakpoint
-- Events that predate the tree: the actor's publisher, as appendAuditEvent now records it.
UPDATE "audit_events" SET "actor_publisher_id" = t."publisher_id" FROM "api_tokens" t WHERE "audit_events"."actor" = 'token:' || t."id";

--> statement-breakpoint
CREATE TABLE "mirrored_servers" (
	"name" text NOT NULL,
	"version" text NOT NULL,
	"source" text NOT NULL,
	"position" integer NOT NULL,
	"server_json" jsonb NOT NULL,
	"official" jsonb NOT NULL,
	"content_digest" text NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"removed_at" timestamp with time zone,
	"imported_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mirrored_servers_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
CREATE INDEX "mirrored_servers_source_idx" ON "mirrored_servers" USING btree ("source");--> statement-breakpoint
CREATE INDEX "mirrored_servers_name_position_idx" ON "mirrored_servers" USING btree ("name","position");