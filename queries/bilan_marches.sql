-- Marchés et partenariats de la période : ceux en cours (dates du marché) ou avec des heures travaillées
-- dans la période ; heures d'insertion prévues (sur toute la durée), heures réalisées dans la période et
-- depuis le début du marché jusqu'à la fin de la période, personnes (au moins 1 heure dans la période),
-- chiffre d'affaires déclaré sur le marché pour la période.
WITH periode AS (
    SELECT marche_id, sum(heures_travaillees) AS heures_periode,
           count(*) FILTER (WHERE employe(heures_travaillees)) AS personnes
    FROM (
        SELECT marche_id, personne_id, sum(heures_travaillees) AS heures_travaillees
        FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
        WHERE marche_id IS NOT NULL
        GROUP BY ALL
    )
    GROUP BY marche_id
), cumul AS (
    SELECT marche_id, sum(heures_travaillees) AS heures_cumul
    FROM heures_f(1900, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    WHERE marche_id IS NOT NULL
    GROUP BY marche_id
), ca AS (
    SELECT * FROM ca_par_marche($annee_debut, $annee_fin, $types, $structures, $marches, $secteurs)
)
SELECT m.marche_id, m.intitule, m.donneur_ordre, m.secteur, m.dispositif, m.date_debut, m.date_fin,
       m.heures_insertion_prevues, COALESCE(p.heures_periode, 0) AS heures_periode,
       COALESCE(c.heures_cumul, 0) AS heures_cumul, COALESCE(p.personnes, 0) AS personnes,
       ca.chiffre_affaires
FROM marches m
LEFT JOIN periode p USING (marche_id)
LEFT JOIN cumul c USING (marche_id)
LEFT JOIN ca USING (marche_id)
WHERE (p.heures_periode > 0
       OR (m.date_debut <= make_date($annee_fin, 12, 31)
           AND (m.date_fin IS NULL OR m.date_fin >= make_date($annee_debut, 1, 1))))
  AND ($marches IS NULL OR list_contains($marches, m.marche_id))
ORDER BY m.secteur DESC, heures_periode DESC, m.intitule
