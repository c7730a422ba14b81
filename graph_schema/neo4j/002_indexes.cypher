// Lookup indexes the domain queries filter on.

CREATE INDEX level_framework IF NOT EXISTS FOR (n:Level) ON (n.framework);
CREATE INDEX competency_group IF NOT EXISTS FOR (n:Competency) ON (n.group);
CREATE INDEX job_profile_administration IF NOT EXISTS FOR (n:JobProfile) ON (n.administration);
CREATE INDEX programme_institution IF NOT EXISTS FOR (n:Programme) ON (n.institution);
CREATE INDEX course_institution IF NOT EXISTS FOR (n:Course) ON (n.institution);
CREATE INDEX course_programme IF NOT EXISTS FOR (n:Course) ON (n.programme);
// Programme and course codes are scoped keys (INSTITUTION/PROGRAMME[/COURSE], unique through
// the `code` constraints); the owner's own code is `local_code`.
CREATE INDEX programme_local_code IF NOT EXISTS FOR (n:Programme) ON (n.local_code);
CREATE INDEX course_local_code IF NOT EXISTS FOR (n:Course) ON (n.local_code);
CREATE INDEX picard_standard_kind IF NOT EXISTS FOR (n:PicardStandard) ON (n.kind);
CREATE INDEX maps_to_id IF NOT EXISTS FOR ()-[m:MAPS_TO]-() ON (m.id);
CREATE INDEX maps_to_review IF NOT EXISTS FOR ()-[m:MAPS_TO]-() ON (m.review_status);
CREATE INDEX audit_entry_key IF NOT EXISTS FOR (n:AuditEntry) ON (n.key_id);
CREATE INDEX audit_entry_owner IF NOT EXISTS FOR (n:AuditEntry) ON (n.owner);
