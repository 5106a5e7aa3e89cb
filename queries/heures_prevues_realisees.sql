-- Heures d'insertion prévues et réalisées, par marché ou partenariat et par année de la période.
-- Prévues : heures_insertion_prevues du marché réparties sur ses années au prorata des jours du marché
-- dans chaque année civile (NULL sans heures prévues ou sans date de fin). Réalisées : heures travaillées
-- sur les interventions du marché (filtres actifs). Avec un filtre de structure, de type ou de commune,
-- seuls les marchés où la sélection a des heures dans la période sont gardés ; les heures prévues restent
-- celles du marché entier.
WITH contrats AS (
    SELECT * FROM marches
    WHERE ($marches IS NULL OR list_contains($marches, marche_id))
      AND ($secteurs IS NULL OR list_contains($secteurs, secteur))
), realisees AS (
    SELECT marche_id, annee, sum(heures_travaillees) AS heures_realisees
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    WHERE marche_id IS NOT NULL
    GROUP BY ALL
), actives AS (
    -- Years of the period during which the contract runs (an open-ended contract runs to the period's end).
    SELECT c.marche_id, a.annee,
           c.heures_insertion_prevues
               * (least(c.date_fin, make_date(CAST(a.annee AS INTEGER), 12, 31))
                  - greatest(c.date_debut, make_date(CAST(a.annee AS INTEGER), 1, 1)) + 1)
               / (c.date_fin - c.date_debut + 1) AS heures_prevues
    FROM contrats c
    JOIN range($annee_debut, $annee_fin + 1) a(annee)
      ON a.annee BETWEEN year(c.date_debut) AND COALESCE(year(c.date_fin), $annee_fin)
), lignes AS (
    SELECT COALESCE(a.marche_id, r.marche_id) AS marche_id, COALESCE(a.annee, r.annee) AS annee,
           a.heures_prevues, COALESCE(r.heures_realisees, 0) AS heures_realisees
    FROM actives a
    FULL JOIN realisees r ON r.marche_id = a.marche_id AND r.annee = a.annee
), retenus AS (
    SELECT marche_id FROM lignes
    GROUP BY marche_id
    HAVING ($structures IS NULL AND $types IS NULL AND $communes IS NULL) OR sum(heures_realisees) > 0
)
SELECT c.marche_id, c.intitule, c.donneur_ordre, c.secteur, c.dispositif, c.date_debut, c.date_fin,
       c.heures_insertion_prevues, l.annee, l.heures_prevues, l.heures_realisees
FROM lignes l
JOIN retenus USING (marche_id)
JOIN contrats c USING (marche_id)
ORDER BY c.date_debut, c.intitule, l.annee
