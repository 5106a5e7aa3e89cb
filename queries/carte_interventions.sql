-- Interventions actives sur la période (début au plus tard le 31 décembre de la dernière année, fin vide ou au
-- plus tôt le 1er janvier de la première), sous les filtres partagés (la commune est celle où l'intervention
-- est localisée), avec leurs heures travaillées sur la période.
WITH h AS (
    SELECT intervention_id, sum(heures_travaillees) AS heures
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    WHERE intervention_id IS NOT NULL
    GROUP BY intervention_id
)
SELECT i.intervention_id, i.structure_id, s.nom AS structure_nom, s.type, i.activite, i.marche_id,
       i.marche_intitule, COALESCE(i.secteur, 'hors_marche') AS secteur, i.lieu, i.latitude, i.longitude,
       i.commune_insee, i.commune_localisee, i.commune_nouvelle, i.date_debut, i.date_fin,
       COALESCE(h.heures, 0) AS heures
FROM interventions_x i
JOIN structures_x s USING (structure_id)
LEFT JOIN h USING (intervention_id)
WHERE i.date_debut <= make_date($annee_fin, 12, 31)
  AND (i.date_fin IS NULL OR i.date_fin >= make_date($annee_debut, 1, 1))
  AND ($types IS NULL OR list_contains($types, s.type))
  AND ($structures IS NULL OR list_contains($structures, i.structure_id))
  AND ($marches IS NULL OR list_contains($marches, i.marche_id))
  AND ($secteurs IS NULL OR list_contains($secteurs, COALESCE(i.secteur, 'hors_marche')))
  AND ($communes IS NULL OR list_contains($communes, i.commune_nouvelle))
ORDER BY i.intervention_id
