-- Change notices for the cache of manifest reads by digest (GET /v1/manifests/sha256:…): a
-- publish (is_latest moves), deprecate or yank sends NOTIFY ta_changes 'manifests' at commit,
-- like the tables of 0006_change_notices.sql.
CREATE TRIGGER manifests_change_notice AFTER INSERT OR UPDATE OR DELETE ON manifests FOR EACH STATEMENT EXECUTE FUNCTION ta_notify_change();
