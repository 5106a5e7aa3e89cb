-- Équivalents temps plein : somme, par type de structure et par année, des heures travaillées divisées
-- par la base annuelle ETP du type pour l'année (data/reference/bases_etp.csv) ; sur plusieurs années,
-- moyenne annuelle (divisée par le nombre d'années de la période).
SELECT COALESCE(sum(heures / base_etp(type, annee)), 0) / ($annee_fin - $annee_debut + 1) AS etp
FROM (
    SELECT type, annee, sum(heures_travaillees) AS heures
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY type, annee
)
