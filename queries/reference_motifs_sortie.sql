-- La correspondance des motifs de sortie avec les catégories de l'ASP (reference/motifs_sortie.csv et
-- categories_sortie.csv du dossier chargé) : code, libellé, catégorie et sa place dans le taux dynamique.
SELECT m.code, m.libelle, m.categorie, c.libelle AS categorie_libelle, c.taux_dynamique
FROM ref_motifs_sortie m
LEFT JOIN ref_categories_sortie c USING (categorie)
ORDER BY TRY_CAST(c.ordre AS INTEGER) NULLS LAST, m.rowid
