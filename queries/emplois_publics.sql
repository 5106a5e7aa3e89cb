-- Publics des personnes employées sur la période (au moins 1 heure travaillée, structures du filtre ;
-- avec un filtre de commune, personnes qui y résident), d'après le profil de leur parcours le plus récent
-- (vue personnes). Âge = $annee_ref − année de naissance ($annee_ref : l'année de fin de la période).
-- Pour chaque public, le nombre de personnes concernées et le nombre de personnes dont l'information
-- manque (non renseigné), toutes deux parmi les personnes employées (le dénominateur garde les inconnus).
-- Faible qualification : niveau de formation dans la liste $niveaux_faibles (valeur de référence).
WITH p AS (
    SELECT personne_id
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY personne_id
    HAVING employe(sum(heures_travaillees))
), x AS (
    SELECT pe.*, $annee_ref - pe.annee_naissance AS age,
           NULLIF(trim(pe.niveau_formation), '') AS niveau
    FROM p
    LEFT JOIN personnes pe USING (personne_id)
)
SELECT
    count(*) AS personnes_employees,
    count(*) FILTER (WHERE sexe = 'F') AS femmes,
    count(*) FILTER (WHERE sexe IS NULL) AS femmes_nr,
    count(*) FILTER (WHERE age < $age_jeune) AS moins_de_26_ans,
    count(*) FILTER (WHERE age IS NULL) AS moins_de_26_ans_nr,
    count(*) FILTER (WHERE age >= $age_senior) AS age_50_ans_et_plus,
    count(*) FILTER (WHERE age IS NULL) AS age_50_ans_et_plus_nr,
    count(*) FILTER (WHERE rsa) AS rsa,
    count(*) FILTER (WHERE rsa IS NULL) AS rsa_nr,
    count(*) FILTER (WHERE deld) AS deld,
    count(*) FILTER (WHERE deld IS NULL) AS deld_nr,
    count(*) FILTER (WHERE detld) AS detld,
    count(*) FILTER (WHERE detld IS NULL) AS detld_nr,
    count(*) FILTER (WHERE rqth) AS rqth,
    count(*) FILTER (WHERE rqth IS NULL) AS rqth_nr,
    count(*) FILTER (WHERE qpv) AS qpv,
    count(*) FILTER (WHERE qpv IS NULL) AS qpv_nr,
    count(*) FILTER (WHERE list_contains($niveaux_faibles, niveau)) AS faible_qualification,
    count(*) FILTER (WHERE niveau IS NULL) AS faible_qualification_nr
FROM x
