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
ALTER TABLE "namespace_claims" ADD CONSTRAINT "namespace_claims_namespace_namespaces_namespace_fk" FOREIGN KEY ("namespace") REFERENCES "public"."namespaces"("namespace") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "namespace_claims" ADD CONSTRAINT "namespace_claims_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "namespace_claims_publisher_idx" ON "namespace_claims" USING btree ("publisher_id","namespace");