-- Les catégories de sortie de l'ASP (reference/categories_sortie.csv du dossier chargé, sinon
-- data/reference/), dans l'ordre du référentiel : leur libellé français, leur place dans le taux de sortie
-- dynamique et le nombre de motifs qui y conduisent. Sert à la page Méthodologie et aux tableaux de sorties.
SELECT c.categorie, c.libelle, c.taux_dynamique, count(m.code) AS motifs
FROM ref_categories_sortie c
LEFT JOIN ref_motifs_sortie m USING (categorie)
GROUP BY c.categorie, c.libelle, c.taux_dynamique, c.ordre
ORDER BY TRY_CAST(c.ordre AS INTEGER) NULLS LAST, c.categorie
