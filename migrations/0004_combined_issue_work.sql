ALTER TABLE "manifests" ADD COLUMN "legacy_server_json" jsonb;--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "origin_approval" jsonb;--> statement-breakpoint
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
