-- Heures travaillées, facturées et de formation par structure (lieu de travail), et personnes employées
-- dans la structure (au moins 1 heure travaillée sur la période ; habitants de la commune si filtre de commune).
WITH lieu AS (
    SELECT structure_id, sum(heures_travaillees) AS heures_travaillees,
           COALESCE(sum(heures_facturees), 0) AS heures_facturees,
           COALESCE(sum(heures_formation), 0) AS heures_formation
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY structure_id
), personnes AS (
    SELECT structure_id, count(*) AS personnes
    FROM (
        SELECT structure_id, personne_id
        FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
        GROUP BY ALL HAVING employe(sum(heures_travaillees))
    )
    GROUP BY structure_id
)
SELECT s.structure_id, s.nom AS structure, s.type, COALESCE(l.heures_travaillees, 0) AS heures_travaillees,
       COALESCE(l.heures_facturees, 0) AS heures_facturees, COALESCE(l.heures_formation, 0) AS heures_formation,
       COALESCE(p.personnes, 0) AS personnes
FROM lieu l
FULL JOIN personnes p USING (structure_id)
JOIN structures_x s USING (structure_id)
ORDER BY heures_travaillees DESC, s.nom
