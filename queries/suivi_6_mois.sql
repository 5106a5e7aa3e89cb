-- En emploi 6 mois après la sortie : suivi propre au collectif (table suivis), distinct des sorties déclarées
-- à l'ASP. Sorties de la période (date de sortie) des structures employeuses (pas les centres sociaux, missions
-- locales ni « autres »), hors retraits, sous les filtres communs (commune = résidence). Pour chaque sortie, le
-- suivi retenu est le plus proche de 6 mois après la sortie parmi ceux faits de 5 à 8 mois après, bornes
-- comprises (à égalité, le plus tardif). Une personne compte une fois : sa dernière sortie de la période qui a
-- un suivi retenu. En emploi : situation des catégories $en_emploi (emploi durable ou de transition). $au : date des données (une
-- sortie de moins de 8 mois peut encore être suivie).
WITH sorties AS (
    SELECT *
    FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
    WHERE categorie IS DISTINCT FROM 'retrait' AND type NOT IN ('CS', 'ML', 'AUTRE')
),
retenus AS (
    SELECT s.personne_id, s.parcours_id, s.date_sortie, u.employeur_partenaire, m.categorie AS categorie_suivi
    FROM sorties s
    JOIN suivis u USING (parcours_id)
    LEFT JOIN ref_motifs_sortie m ON m.code = u.situation
    WHERE u.date_suivi BETWEEN CAST(s.date_sortie + INTERVAL 5 MONTH AS DATE)
                           AND CAST(s.date_sortie + INTERVAL 8 MONTH AS DATE)
    QUALIFY row_number() OVER (
        PARTITION BY s.parcours_id
        ORDER BY abs(date_diff('day', CAST(s.date_sortie + INTERVAL 6 MONTH AS DATE), u.date_suivi)),
                 u.date_suivi DESC
    ) = 1
),
par_personne AS (
    SELECT * FROM retenus
    QUALIFY row_number() OVER (PARTITION BY personne_id ORDER BY date_sortie DESC, parcours_id DESC) = 1
)
SELECT
    (SELECT count(*) FROM sorties) AS sorties,
    (SELECT count(*) FROM sorties WHERE CAST(date_sortie + INTERVAL 8 MONTH AS DATE) > $au) AS sorties_recentes,
    count(*) AS personnes_suivies,
    count(*) FILTER (WHERE list_contains($en_emploi, categorie_suivi)) AS en_emploi,
    count(*) FILTER (
        WHERE list_contains($en_emploi, categorie_suivi) AND employeur_partenaire
    ) AS employeur_partenaire
FROM par_personne
