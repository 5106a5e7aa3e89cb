-- Taux d'encadrement : par année et par structure qui a une ligne dans la table encadrement, les ETP en
-- insertion (heures travaillées ÷ base ETP du type pour l'année, comme kpi_etp), les ETP d'encadrants
-- techniques, de conseillers en accompagnement socioprofessionnel et les ETP conventionnés déclarés.
-- Filtres : période, types, structures (pas de commune : les permanents ne sont pas localisés).
WITH etp AS (
    SELECT annee, structure_id, sum(heures_travaillees) / base_etp(type, annee) AS etp_insertion
    FROM heures_f($annee_debut, $annee_fin, NULL, $types, $structures, NULL, NULL, false)
    GROUP BY annee, structure_id, type
)
SELECT e.annee, e.structure_id, s.nom AS structure_nom, s.type,
       COALESCE(x.etp_insertion, 0) AS etp_insertion,
       e.etp_encadrement_technique, e.etp_accompagnement_socioprofessionnel, e.etp_insertion_conventionnes
FROM encadrement e
JOIN structures_x s USING (structure_id)
LEFT JOIN etp x ON x.annee = e.annee AND x.structure_id = e.structure_id
WHERE e.annee BETWEEN $annee_debut AND $annee_fin
  AND ($types IS NULL OR list_contains($types, s.type))
  AND ($structures IS NULL OR list_contains($structures, e.structure_id))
ORDER BY e.annee, s.nom
