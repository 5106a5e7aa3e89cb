-- Heures travaillées par commune d'intervention : code de la commune nouvelle (ou de la commune elle-même
-- hors Mauges Communauté), "non_localise" pour les heures sans intervention.
SELECT COALESCE(commune_intervention, 'non_localise') AS commune, sum(heures_travaillees) AS heures
FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
GROUP BY 1
ORDER BY 1
