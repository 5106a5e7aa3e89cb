-- Heures travaillées par marché ou partenariat (NULL : heures hors marché), avec le secteur et le
-- dispositif, et les personnes ayant au moins 1 heure sur le marché pendant la période.
WITH lieu AS (
    SELECT marche_id, sum(heures_travaillees) AS heures_travaillees
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY marche_id
), personnes AS (
    SELECT marche_id, count(*) AS personnes
    FROM (
        SELECT marche_id, personne_id
        FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
        GROUP BY ALL HAVING employe(sum(heures_travaillees))
    )
    GROUP BY marche_id
)
SELECT COALESCE(l.marche_id, p.marche_id) AS marche_id, m.intitule, m.donneur_ordre, COALESCE(m.secteur, 'hors_marche') AS secteur, m.dispositif,
       COALESCE(l.heures_travaillees, 0) AS heures_travaillees, COALESCE(p.personnes, 0) AS personnes
FROM lieu l
-- NULL (hors marché) is a group of its own: match it explicitly.
FULL JOIN personnes p ON p.marche_id IS NOT DISTINCT FROM l.marche_id
LEFT JOIN marches m ON m.marche_id = COALESCE(l.marche_id, p.marche_id)
ORDER BY CASE m.secteur WHEN 'public' THEN 1 WHEN 'prive' THEN 2 ELSE 3 END, heures_travaillees DESC, m.intitule
