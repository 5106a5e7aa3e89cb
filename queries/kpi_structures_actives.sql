-- Nombre de structures ayant déclaré au moins une heure travaillée sur la période (sous les filtres).
SELECT count(DISTINCT structure_id) AS structures_actives
FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
WHERE heures_travaillees > 0
