-- Les communes du référentiel à chaque niveau (commune nouvelle, commune déléguée, commune voisine) avec leur
-- commune nouvelle, leur EPCI et leur population municipale : un code partagé (49023) y figure à deux niveaux.
SELECT code_insee, nom, niveau, code_commune_nouvelle, nom_commune_nouvelle, epci,
       TRY_CAST(NULLIF(population, '') AS INTEGER) AS population
FROM ref_communes
ORDER BY code_insee, niveau
