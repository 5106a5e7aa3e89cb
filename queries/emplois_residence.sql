-- Personnes employées sur la période (au moins 1 heure travaillée, structures du filtre ; avec un filtre
-- de commune, personnes qui y résident) par commune nouvelle de résidence (commune de leur parcours le
-- plus récent, commune déléguée ou ancien code rattachés à leur commune nouvelle). Les communes des
-- intercommunalités voisines sont regroupées par intercommunalité ; commune absente : « non renseignée » ;
-- code hors du référentiel des communes : « autre commune ».
WITH p AS (
    SELECT personne_id
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY personne_id
    HAVING employe(sum(heures_travaillees))
), r AS (
    SELECT pe.commune_residence_insee, pe.commune_residence, c.nom, c.epci
    FROM p
    LEFT JOIN personnes pe USING (personne_id)
    LEFT JOIN communes_x c ON c.code_insee = pe.commune_residence
)
SELECT
    CASE
        WHEN commune_residence_insee IS NULL THEN 'non_renseignee'
        WHEN commune_residence IS NULL THEN 'autre'
        WHEN epci = 'Mauges Communauté' THEN commune_residence
        ELSE epci
    END AS commune,
    CASE
        WHEN commune_residence_insee IS NULL THEN 'Non renseignée'
        WHEN commune_residence IS NULL THEN 'Autre commune (hors référentiel)'
        WHEN epci = 'Mauges Communauté' THEN nom
        ELSE epci || ' (communes voisines)'
    END AS nom,
    epci,
    count(*) AS personnes,
    CASE
        WHEN commune_residence_insee IS NULL THEN 4
        WHEN commune_residence IS NULL THEN 3
        WHEN epci = 'Mauges Communauté' THEN 1
        ELSE 2
    END AS rang
FROM r
GROUP BY ALL
ORDER BY rang, personnes DESC, nom
