-- Le territoire : les communes nouvelles de Mauges Communauté (code INSEE actuel, nom, population
-- municipale) et le nombre de communes déléguées de chacune (reference/communes.csv).
SELECT n.code_insee AS code, n.nom, TRY_CAST(NULLIF(n.population, '') AS INTEGER) AS population,
       count(d.code_insee) AS communes_deleguees
FROM ref_communes n
LEFT JOIN ref_communes d ON d.niveau = 'commune_deleguee' AND d.code_commune_nouvelle = n.code_insee
WHERE n.niveau = 'commune_nouvelle'
GROUP BY n.code_insee, n.nom, n.population
ORDER BY n.nom
