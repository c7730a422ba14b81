// Uniqueness of `code` for every node label. IF NOT EXISTS keeps this idempotent.
// A programme's code is INSTITUTION/PROGRAMME and a course's INSTITUTION/PROGRAMME/COURSE
// (app/domain/identity.py): uniqueness of these keys is uniqueness of the composite.

CREATE CONSTRAINT framework_code IF NOT EXISTS FOR (n:Framework) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT level_code IF NOT EXISTS FOR (n:Level) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT competency_group_code IF NOT EXISTS FOR (n:CompetencyGroup) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT competency_code IF NOT EXISTS FOR (n:Competency) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT proficiency_level_code IF NOT EXISTS FOR (n:ProficiencyLevel) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT job_family_code IF NOT EXISTS FOR (n:JobFamily) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT job_profile_code IF NOT EXISTS FOR (n:JobProfile) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT professional_task_code IF NOT EXISTS FOR (n:ProfessionalTask) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT functional_domain_code IF NOT EXISTS FOR (n:FunctionalDomain) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT generic_role_code IF NOT EXISTS FOR (n:GenericRole) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT occupation_code IF NOT EXISTS FOR (n:Occupation) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT picard_standard_code IF NOT EXISTS FOR (n:PicardStandard) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT institution_code IF NOT EXISTS FOR (n:Institution) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT programme_code IF NOT EXISTS FOR (n:Programme) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT course_code IF NOT EXISTS FOR (n:Course) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT administration_code IF NOT EXISTS FOR (n:Administration) REQUIRE n.code IS UNIQUE;

// One code, one thing: a code is unique in any letter case. `code_key` is the code folded
// (lower case; app/services/catalog/codes.py `fold`), set by every write of these labels.
CREATE CONSTRAINT framework_code_key IF NOT EXISTS FOR (n:Framework) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT level_code_key IF NOT EXISTS FOR (n:Level) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT competency_code_key IF NOT EXISTS FOR (n:Competency) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT job_profile_code_key IF NOT EXISTS FOR (n:JobProfile) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT professional_task_code_key IF NOT EXISTS FOR (n:ProfessionalTask) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT institution_code_key IF NOT EXISTS FOR (n:Institution) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT programme_code_key IF NOT EXISTS FOR (n:Programme) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT course_code_key IF NOT EXISTS FOR (n:Course) REQUIRE n.code_key IS UNIQUE;
CREATE CONSTRAINT administration_code_key IF NOT EXISTS FOR (n:Administration) REQUIRE n.code_key IS UNIQUE;

// Service-internal nodes (API keys, audit trail): not in the full-text index.
CREATE CONSTRAINT api_key_code IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT audit_entry_code IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.code IS UNIQUE;
// Service metadata (the fixed base IRI) and locks held across workers (serialised uploads).
CREATE CONSTRAINT service_meta_code IF NOT EXISTS FOR (n:ServiceMeta) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT service_lock_code IF NOT EXISTS FOR (n:ServiceLock) REQUIRE n.code IS UNIQUE;
