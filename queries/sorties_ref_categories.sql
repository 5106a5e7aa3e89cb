-- Les cinq catégories de sortie de l'ASP, leur libellé français et leur rôle dans le taux de sortie
-- dynamique (data/reference/categories_sortie.csv), dans l'ordre du référentiel.
SELECT categorie, libelle, taux_dynamique, CAST(ordre AS INTEGER) AS ordre
FROM ref_categories_sortie
ORDER BY ordre
