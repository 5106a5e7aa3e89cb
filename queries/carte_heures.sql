-- Heures travaillées par lieu d'intervention : code de la commune où l'intervention est localisée (point GPS
-- s'il y en a un, sinon code déclaré) et sa commune nouvelle ; code vide pour les heures sans intervention.
SELECT commune_localisee AS code, commune_intervention AS commune_nouvelle, sum(heures_travaillees) AS heures
FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
GROUP BY ALL
ORDER BY ALL
