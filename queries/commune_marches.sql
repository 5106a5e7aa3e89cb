-- Marchés et partenariats de la commune sur la période : ceux dont des interventions situées dans la
-- commune ont des heures travaillées, et ceux dont le donneur d'ordre porte le nom de la commune et qui
-- sont en cours ; heures réalisées dans la commune sur la période.
WITH h AS (
    SELECT marche_id, sum(heures_travaillees) AS heures_commune
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    WHERE marche_id IS NOT NULL
    GROUP BY marche_id
)
SELECT m.marche_id, m.intitule, m.donneur_ordre, m.secteur, m.dispositif, m.date_debut, m.date_fin,
       m.heures_insertion_prevues, COALESCE(h.heures_commune, 0) AS heures_commune
FROM marches m
LEFT JOIN h USING (marche_id)
WHERE h.heures_commune > 0
   OR (strip_accents(lower(m.donneur_ordre)) LIKE '%' || strip_accents(lower($nom_commune)) || '%'
       AND m.date_debut <= make_date($annee_fin, 12, 31)
       AND (m.date_fin IS NULL OR m.date_fin >= make_date($annee_debut, 1, 1)))
ORDER BY heures_commune DESC, m.intitule
