-- Équivalents temps plein par type de structure et par année : heures travaillées (lieu de travail, comme
-- kpi_etp), base annuelle ETP du type pour l'année (data/reference/bases_etp.csv, macro base_etp) et
-- ETP = heures ÷ base. La somme des ETP divisée par le nombre d'années de la période donne l'ETP du
-- tableau de bord.
SELECT type, annee, sum(heures_travaillees) AS heures_travaillees, base_etp(type, annee) AS base_etp,
       sum(heures_travaillees) / base_etp(type, annee) AS etp
FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
GROUP BY type, annee
-- Les types du plus grand ETP de la période au plus petit (le graphique se lit de haut en bas), puis les années.
ORDER BY sum(sum(heures_travaillees) / base_etp(type, annee)) OVER (PARTITION BY type) DESC, type, annee
