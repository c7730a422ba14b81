// FalkorDB full-text indexes are per label; search queries each label's index.

CALL db.idx.fulltext.createNodeIndex('Framework', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Level', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('CompetencyGroup', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Competency', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('ProficiencyLevel', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('JobFamily', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('JobProfile', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('ProfessionalTask', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('FunctionalDomain', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('GenericRole', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Occupation', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('PicardStandard', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Institution', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Programme', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Course', 'name', 'name_fr', 'description');
CALL db.idx.fulltext.createNodeIndex('Administration', 'name', 'name_fr', 'description');
