-- Publics des personnes employées, année par année : parmi les personnes ayant au moins 1 heure
-- travaillée dans l'année, les femmes, les moins de 26 ans et les 50 ans et plus (âge = année − année de
-- naissance), les bénéficiaires du RSA, les demandeurs d'emploi de longue (DELD, 12 à 23 mois) et de très
-- longue durée (DETLD, 24 mois et plus), les personnes reconnues travailleurs handicapés (RQTH), les
-- habitants d'un quartier prioritaire (QPV) et les bas niveaux de qualification (CAP/BEP ou moins).
WITH p AS (
    SELECT annee, personne_id
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY annee, personne_id
    HAVING sum(heures_travaillees) >= 1
)
SELECT p.annee,
    count(*) AS personnes_employees,
    count(*) FILTER (WHERE pe.sexe = 'F') AS femmes,
    count(*) FILTER (WHERE p.annee - pe.annee_naissance < 26) AS moins_de_26_ans,
    count(*) FILTER (WHERE p.annee - pe.annee_naissance >= 50) AS age_50_ans_et_plus,
    count(*) FILTER (WHERE pe.rsa) AS rsa,
    count(*) FILTER (WHERE pe.deld) AS deld,
    count(*) FILTER (WHERE pe.detld) AS detld,
    count(*) FILTER (WHERE pe.rqth) AS rqth,
    count(*) FILTER (WHERE pe.qpv) AS qpv,
    count(*) FILTER (WHERE pe.niveau_formation IN ('infra_cap', 'cap_bep')) AS faible_qualification
FROM p
JOIN personnes pe USING (personne_id)
GROUP BY p.annee
ORDER BY p.annee
