-- Les catégories de sortie de l'ASP (reference/categories_sortie.csv du dossier chargé), dans leur ordre,
-- avec leur place dans le taux de sortie dynamique et le nombre de motifs qui y conduisent.
SELECT c.categorie, c.libelle, c.taux_dynamique, count(m.code) AS motifs
FROM ref_categories_sortie c
LEFT JOIN ref_motifs_sortie m USING (categorie)
GROUP BY c.categorie, c.libelle, c.taux_dynamique, c.ordre
ORDER BY TRY_CAST(c.ordre AS INTEGER) NULLS LAST, c.categorie
