-- Contrats des personnes employées sur la période (au moins 1 heure travaillée, structures du filtre ;
-- avec un filtre de commune, personnes qui y résident) : pour chaque structure où la personne a travaillé
-- dans la période, le contrat de ses parcours dans cette structure ouverts pendant la période. Une personne
-- compte une fois par type de contrat ; avec plusieurs contrats, elle compte dans chacun.
WITH h AS (
    SELECT personne_id, structure_id, sum(heures_travaillees) AS heures
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY personne_id, structure_id
), employees AS (
    SELECT personne_id FROM h GROUP BY personne_id HAVING employe(sum(heures))
), c AS (
    SELECT DISTINCT h.personne_id, COALESCE(NULLIF(trim(pa.contrat), ''), 'non_renseigne') AS contrat
    FROM h
    JOIN employees USING (personne_id)
    LEFT JOIN parcours pa ON pa.personne_id = h.personne_id AND pa.structure_id = h.structure_id
        AND year(pa.date_entree) <= $annee_fin
        AND (pa.date_sortie IS NULL OR year(pa.date_sortie) >= $annee_debut)
    WHERE h.heures > 0
)
SELECT contrat, count(*) AS personnes
FROM c
GROUP BY contrat
ORDER BY personnes DESC, contrat
