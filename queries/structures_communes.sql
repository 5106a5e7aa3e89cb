-- Où travaillent les structures : heures travaillées sur la période, sous les filtres, par structure et par
-- commune d'intervention (commune nouvelle de Mauges Communauté, ou la commune elle-même ailleurs) ; les
-- heures sans intervention ont une commune vide (non localisées).
SELECT h.structure_id, h.structure_nom AS structure, h.commune_intervention AS commune, c.nom AS commune_nom,
       sum(h.heures_travaillees) AS heures_travaillees
FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false) h
LEFT JOIN communes_x c ON c.code_insee = h.commune_intervention
GROUP BY h.structure_id, h.structure_nom, h.commune_intervention, c.nom
HAVING sum(h.heures_travaillees) > 0
ORDER BY structure, (commune IS NULL), heures_travaillees DESC, commune_nom
