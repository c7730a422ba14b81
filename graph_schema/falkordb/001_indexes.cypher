// FalkorDB: a range index on `code` for every label; it must exist before the unique
// constraint (002_unique.constraints) can be built. Re-running answers 'already indexed',
// which the migrator treats as done.

CREATE INDEX FOR (n:Framework) ON (n.code);
CREATE INDEX FOR (n:Level) ON (n.code);
CREATE INDEX FOR (n:CompetencyGroup) ON (n.code);
CREATE INDEX FOR (n:Competency) ON (n.code);
CREATE INDEX FOR (n:ProficiencyLevel) ON (n.code);
CREATE INDEX FOR (n:JobFamily) ON (n.code);
CREATE INDEX FOR (n:JobProfile) ON (n.code);
CREATE INDEX FOR (n:ProfessionalTask) ON (n.code);
CREATE INDEX FOR (n:FunctionalDomain) ON (n.code);
CREATE INDEX FOR (n:GenericRole) ON (n.code);
CREATE INDEX FOR (n:Occupation) ON (n.code);
CREATE INDEX FOR (n:PicardStandard) ON (n.code);
CREATE INDEX FOR (n:Institution) ON (n.code);
CREATE INDEX FOR (n:Programme) ON (n.code);
CREATE INDEX FOR (n:Course) ON (n.code);
CREATE INDEX FOR (n:Administration) ON (n.code);
// Folded codes (`code_key`), unique in any letter case (002_unique.constraints).
CREATE INDEX FOR (n:Framework) ON (n.code_key);
CREATE INDEX FOR (n:Level) ON (n.code_key);
CREATE INDEX FOR (n:Competency) ON (n.code_key);
CREATE INDEX FOR (n:JobProfile) ON (n.code_key);
CREATE INDEX FOR (n:ProfessionalTask) ON (n.code_key);
CREATE INDEX FOR (n:Institution) ON (n.code_key);
CREATE INDEX FOR (n:Programme) ON (n.code_key);
CREATE INDEX FOR (n:Course) ON (n.code_key);
CREATE INDEX FOR (n:Administration) ON (n.code_key);
CREATE INDEX FOR (n:Level) ON (n.framework);
CREATE INDEX FOR (n:Competency) ON (n.group);
CREATE INDEX FOR (n:JobProfile) ON (n.administration);
CREATE INDEX FOR (n:Programme) ON (n.institution);
CREATE INDEX FOR (n:Course) ON (n.institution);
CREATE INDEX FOR (n:Course) ON (n.programme);
// Programme and course codes are scoped keys (INSTITUTION/PROGRAMME[/COURSE]); the owner's own
// code is `local_code`, looked up when an address names it alone.
CREATE INDEX FOR (n:Programme) ON (n.local_code);
CREATE INDEX FOR (n:Course) ON (n.local_code);
CREATE INDEX FOR (n:PicardStandard) ON (n.kind);
CREATE INDEX FOR ()-[m:MAPS_TO]-() ON (m.id);
CREATE INDEX FOR ()-[m:MAPS_TO]-() ON (m.review_status);

// Service-internal nodes (API keys, audit trail): unique ids, not in the full-text index.
CREATE INDEX FOR (n:ApiKey) ON (n.code);
CREATE INDEX FOR (n:AuditEntry) ON (n.code);
CREATE INDEX FOR (n:AuditEntry) ON (n.key_id);
CREATE INDEX FOR (n:AuditEntry) ON (n.owner);
CREATE INDEX FOR (n:ServiceMeta) ON (n.code);
CREATE INDEX FOR (n:ServiceLock) ON (n.code);
