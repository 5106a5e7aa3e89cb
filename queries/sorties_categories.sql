-- Sorties de la période par famille, type de structure et catégorie de sortie (référentiel ASP) : toutes
-- les sorties, et parmi elles les sorties examinées (hors retraits, durée minimale de présence atteinte ;
-- IAE seulement). Catégorie vide : motif absent ou hors du référentiel data/reference/motifs_sortie.csv.
SELECT famille, type, categorie,
       count(*) AS sorties,
       count(*) FILTER (WHERE examinee) AS sorties_examinees
FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
GROUP BY ALL
ORDER BY famille, type, categorie
