-- Habitants de la commune employés par les structures du collectif : personnes distinctes (au moins
-- 1 heure sur la période), salariés en parcours (IAE), heures travaillées par ces habitants où qu'elles
-- soient réalisées, et ETP correspondants (heures ÷ base annuelle du type de structure, moyenne annuelle).
WITH h AS (
    SELECT * FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
), par_personne AS (
    SELECT personne_id, sum(heures_travaillees) AS heures,
           sum(heures_travaillees) FILTER (WHERE famille = 'IAE') AS heures_iae
    FROM h GROUP BY personne_id
), par_type AS (
    SELECT type, annee, sum(heures_travaillees) AS heures FROM h GROUP BY type, annee
)
SELECT
    (SELECT count(*) FROM par_personne WHERE employe(heures)) AS personnes_employees,
    (SELECT count(*) FROM par_personne WHERE employe(heures_iae)) AS salaries_en_parcours,
    (SELECT COALESCE(sum(heures_travaillees), 0) FROM h) AS heures_travaillees,
    (SELECT COALESCE(sum(heures / base_etp(type, annee)), 0) FROM par_type) / ($annee_fin - $annee_debut + 1)
        AS etp
