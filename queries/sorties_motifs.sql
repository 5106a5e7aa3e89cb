-- Sorties des structures IAE de la période par motif de sortie (code, libellé et catégorie du référentiel
-- data/reference/motifs_sortie.csv) ; toutes les sorties et, parmi elles, les sorties examinées.
SELECT p.motif_sortie AS motif, p.motif_libelle, p.categorie,
       count(*) AS sorties,
       count(*) FILTER (WHERE p.examinee) AS sorties_examinees
FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs) p
WHERE p.famille = 'IAE'
GROUP BY ALL
ORDER BY sorties DESC, motif
