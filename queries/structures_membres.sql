-- Les structures membres et leur contribution sur la période, sous les filtres : type, famille, commune du
-- siège, date d'adhésion ; heures travaillées (lieu de travail) ; personnes employées dans la structure (au
-- moins 1 heure dans la structure ; avec un filtre de commune, habitants de la commune) ; ETP (heures ÷ base
-- annuelle du type pour chaque année, moyenne annuelle) et bases utilisées ; sorties IAE (sorties,
-- examinées, dynamiques : catégories $dynamiques ; NULL hors IAE) ; chiffre d'affaires HT. Toutes les structures retenues par les
-- filtres de type et de structure figurent, même sans activité sur la période.
WITH h AS (
    SELECT * FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
), heures AS (
    SELECT structure_id, sum(heures_travaillees) AS heures_travaillees
    FROM h
    GROUP BY structure_id
), personnes AS (
    SELECT structure_id, personnes AS personnes_employees
    FROM employes_par_structure($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
), etp AS (
    SELECT structure_id, sum(heures / base_etp(type, annee)) / ($annee_fin - $annee_debut + 1) AS etp
    FROM (SELECT structure_id, type, annee, sum(heures_travaillees) AS heures FROM h GROUP BY ALL)
    GROUP BY structure_id
), sorties AS (
    SELECT structure_id,
           count(*) AS sorties,
           count(*) FILTER (WHERE examinee) AS sorties_examinees,
           count(*) FILTER (WHERE examinee AND list_contains($dynamiques, categorie)) AS sorties_dynamiques
    FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
    WHERE famille = 'IAE'
    GROUP BY structure_id
), ca AS (
    SELECT structure_id, sum(montant_ht) AS chiffre_affaires
    FROM ca_f($annee_debut, $annee_fin, $types, $structures, $marches, $secteurs)
    GROUP BY structure_id
), bases AS (
    -- Base ETP de chaque type pour chaque année de la période (un décret peut la changer en cours de période).
    SELECT t.type, list_sort(list(DISTINCT base_etp(t.type, a.annee))) AS bases_etp
    FROM (SELECT DISTINCT type FROM structures) t
    CROSS JOIN (SELECT unnest(range($annee_debut, $annee_fin + 1)) AS annee) a
    GROUP BY t.type
)
SELECT s.structure_id, s.nom, s.type, s.type_libelle, s.famille,
       s.commune_insee AS commune_siege_insee, s.commune_siege_nom,
       cn.nom AS commune_nouvelle_siege_nom, s.date_adhesion,
       COALESCE(he.heures_travaillees, 0) AS heures_travaillees,
       COALESCE(p.personnes_employees, 0) AS personnes_employees,
       COALESCE(e.etp, 0) AS etp,
       b.bases_etp,
       CASE WHEN s.famille = 'IAE' THEN COALESCE(so.sorties, 0) END AS sorties,
       CASE WHEN s.famille = 'IAE' THEN COALESCE(so.sorties_examinees, 0) END AS sorties_examinees,
       CASE WHEN s.famille = 'IAE' THEN COALESCE(so.sorties_dynamiques, 0) END AS sorties_dynamiques,
       COALESCE(ca.chiffre_affaires, 0) AS chiffre_affaires
FROM structures_x s
LEFT JOIN communes_x cn ON cn.code_insee = s.commune_nouvelle_siege
LEFT JOIN heures he USING (structure_id)
LEFT JOIN personnes p USING (structure_id)
LEFT JOIN etp e USING (structure_id)
LEFT JOIN sorties so USING (structure_id)
LEFT JOIN ca USING (structure_id)
LEFT JOIN bases b ON b.type = s.type
WHERE ($types IS NULL OR list_contains($types, s.type))
  AND ($structures IS NULL OR list_contains($structures, s.structure_id))
ORDER BY heures_travaillees DESC, s.nom
