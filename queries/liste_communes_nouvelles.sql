-- Les six communes nouvelles de Mauges Communauté (code, nom, population municipale), pour les filtres.
SELECT code_insee AS commune, nom, population
FROM communes_x
WHERE niveau = 'commune_nouvelle'
ORDER BY nom
