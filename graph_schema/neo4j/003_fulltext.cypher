// One full-text index over names and descriptions of every label (GET /api/v1/search).

CREATE FULLTEXT INDEX cqf_text IF NOT EXISTS FOR (n:Framework|Level|CompetencyGroup|Competency|ProficiencyLevel|JobFamily|JobProfile|ProfessionalTask|FunctionalDomain|GenericRole|Occupation|PicardStandard|Institution|Programme|Course|Administration)
  ON EACH [n.name, n.name_fr, n.description];
