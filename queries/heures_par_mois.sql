-- Heures travaillées, heures facturées (AI, ETTI) et heures de formation, mois par mois sur la période
-- (lieu de travail) : trois mesures distinctes, jamais additionnées. Les mois sans heure entre le premier
-- et le dernier mois déclaré valent 0.
WITH h AS (
    SELECT mois, sum(heures_travaillees) AS heures_travaillees,
           COALESCE(sum(heures_facturees), 0) AS heures_facturees,
           COALESCE(sum(heures_formation), 0) AS heures_formation
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY mois
), bornes AS (
    SELECT min(mois) AS debut, max(mois) AS fin FROM h
)
SELECT CAST(m.mois AS DATE) AS mois, COALESCE(h.heures_travaillees, 0) AS heures_travaillees,
       COALESCE(h.heures_facturees, 0) AS heures_facturees, COALESCE(h.heures_formation, 0) AS heures_formation
FROM bornes, generate_series(bornes.debut, bornes.fin, INTERVAL 1 MONTH) AS m(mois)
LEFT JOIN h ON h.mois = CAST(m.mois AS DATE)
WHERE bornes.debut IS NOT NULL
ORDER BY 1
