-- Exemple de lecture d'un ETP (page Méthodologie) : heures travaillées de l'année, sous les filtres, par
-- type de structure, la base annuelle du type pour l'année, et l'ETP qui en résulte.
SELECT type, annee, sum(heures_travaillees) AS heures_travaillees, base_etp(type, annee) AS base_etp,
       sum(heures_travaillees) / base_etp(type, annee) AS etp
FROM heures_f($annee, $annee, $communes, $types, $structures, $marches, $secteurs, false)
GROUP BY type, annee
HAVING sum(heures_travaillees) > 0
ORDER BY heures_travaillees DESC, type
