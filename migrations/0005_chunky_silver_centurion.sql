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