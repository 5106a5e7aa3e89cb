-- Heures et emplois par structure sur la période : heures travaillées, facturées (AI, ETTI) et de
-- formation (jamais additionnées), personnes employées (au moins 1 heure dans la structure) et ETP
-- (heures ÷ base annuelle du type de structure, moyenne annuelle).
WITH h AS (
    SELECT * FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
), personnes AS (
    SELECT structure_id, count(*) AS personnes_employees
    FROM (SELECT structure_id, personne_id FROM h GROUP BY ALL HAVING employe(sum(heures_travaillees)))
    GROUP BY structure_id
), etp AS (
    SELECT structure_id, sum(heures / base_etp(type, annee)) / ($annee_fin - $annee_debut + 1) AS etp
    FROM (SELECT structure_id, type, annee, sum(heures_travaillees) AS heures FROM h GROUP BY ALL)
    GROUP BY structure_id
)
SELECT h.structure_id, h.structure_nom AS structure, h.type, h.famille,
       sum(h.heures_travaillees) AS heures_travaillees,
       COALESCE(sum(h.heures_facturees), 0) AS heures_facturees,
       COALESCE(sum(h.heures_formation), 0) AS heures_formation,
       COALESCE(any_value(p.personnes_employees), 0) AS personnes_employees,
       COALESCE(any_value(e.etp), 0) AS etp
FROM h
LEFT JOIN personnes p USING (structure_id)
LEFT JOIN etp e USING (structure_id)
GROUP BY h.structure_id, h.structure_nom, h.type, h.famille
HAVING sum(h.heures_travaillees) > 0
ORDER BY heures_travaillees DESC, structure
