-- Heures travaillées, heures facturées (AI, ETTI) et heures de formation, année par année (lieu de
-- travail) : trois mesures distinctes, jamais additionnées.
WITH h AS (
    SELECT annee, sum(heures_travaillees) AS heures_travaillees,
           COALESCE(sum(heures_facturees), 0) AS heures_facturees,
           COALESCE(sum(heures_formation), 0) AS heures_formation
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY annee
)
SELECT a.annee, COALESCE(h.heures_travaillees, 0) AS heures_travaillees,
       COALESCE(h.heures_facturees, 0) AS heures_facturees, COALESCE(h.heures_formation, 0) AS heures_formation
FROM range($annee_debut, $annee_fin + 1) a(annee)
LEFT JOIN h USING (annee)
ORDER BY a.annee
