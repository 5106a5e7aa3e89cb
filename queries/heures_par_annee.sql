-- Heures travaillées (lieu de travail), personnes employées et salariés en parcours (au moins 1 heure
-- dans l'année, par commune de résidence si filtre de commune) et structures actives, année par année.
WITH lieu AS (
    SELECT annee, sum(heures_travaillees) AS heures, count(DISTINCT structure_id) AS structures_actives
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY annee
), residents AS (
    SELECT annee, personne_id, sum(heures_travaillees) AS h,
           sum(heures_travaillees) FILTER (WHERE famille = 'IAE') AS h_iae
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY annee, personne_id
), personnes AS (
    SELECT annee, count(*) FILTER (WHERE employe(h)) AS personnes_employees,
           count(*) FILTER (WHERE employe(h_iae)) AS salaries_en_parcours
    FROM residents
    GROUP BY annee
)
SELECT a.annee, COALESCE(l.heures, 0) AS heures_travaillees, COALESCE(p.personnes_employees, 0) AS personnes_employees,
       COALESCE(p.salaries_en_parcours, 0) AS salaries_en_parcours, COALESCE(l.structures_actives, 0) AS structures_actives
FROM range($annee_debut, $annee_fin + 1) a(annee)
LEFT JOIN lieu l USING (annee)
LEFT JOIN personnes p USING (annee)
ORDER BY a.annee
