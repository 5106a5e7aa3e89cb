-- Heures travaillées par activité (celle de l'intervention ; NULL pour les heures déclarées sans
-- intervention), et personnes ayant au moins 1 heure dans l'activité sur la période.
WITH lieu AS (
    SELECT activite, sum(heures_travaillees) AS heures_travaillees
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY activite
), personnes AS (
    SELECT activite, count(*) AS personnes
    FROM (
        SELECT activite, personne_id
        FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
        GROUP BY ALL HAVING employe(sum(heures_travaillees))
    )
    GROUP BY activite
)
SELECT COALESCE(l.activite, p.activite) AS activite, COALESCE(l.heures_travaillees, 0) AS heures_travaillees, COALESCE(p.personnes, 0) AS personnes
FROM lieu l
-- NULL (sans intervention) is a group of its own: match it explicitly.
FULL JOIN personnes p ON p.activite IS NOT DISTINCT FROM l.activite
ORDER BY COALESCE(l.activite, p.activite) IS NULL, heures_travaillees DESC, activite
