-- Les marchés et partenariats de la période : acheteur ou partenaire, dispositif, dates, heures
-- travaillées sur leurs interventions, chiffre d'affaires rattaché (lignes de chiffre_affaires portant
-- le marché) et structures ayant des heures sur le marché. Gardés : les marchés en cours pendant la
-- période ou ayant des heures ou du chiffre d'affaires dans la période ; avec un filtre de structure, de
-- type ou de commune, seulement ceux où la sélection a des heures (ou, hors filtre de commune, du chiffre
-- d'affaires) dans la période.
WITH h AS (
    SELECT marche_id, sum(heures_travaillees) AS heures_realisees,
           string_agg(DISTINCT structure_nom, ', ' ORDER BY structure_nom) AS structures,
           count(DISTINCT structure_id) AS nb_structures
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    WHERE marche_id IS NOT NULL
    GROUP BY marche_id
), ca AS (
    SELECT * FROM ca_par_marche($annee_debut, $annee_fin, $types, $structures, $marches, $secteurs)
)
SELECT m.marche_id, m.intitule, m.donneur_ordre, m.secteur, m.dispositif, m.date_debut, m.date_fin,
       m.heures_insertion_prevues, COALESCE(h.heures_realisees, 0) AS heures_realisees,
       COALESCE(h.nb_structures, 0) AS nb_structures, h.structures,
       CASE WHEN $communes IS NULL THEN COALESCE(ca.chiffre_affaires, 0) END AS chiffre_affaires
FROM marches m
LEFT JOIN h USING (marche_id)
LEFT JOIN ca USING (marche_id)
WHERE ($marches IS NULL OR list_contains($marches, m.marche_id))
  AND ($secteurs IS NULL OR list_contains($secteurs, m.secteur))
  AND (
      ($structures IS NULL AND $types IS NULL AND $communes IS NULL
          AND m.date_debut <= make_date(CAST($annee_fin AS INTEGER), 12, 31)
          AND (m.date_fin IS NULL OR m.date_fin >= make_date(CAST($annee_debut AS INTEGER), 1, 1)))
      OR h.heures_realisees > 0
      OR ($communes IS NULL AND ca.chiffre_affaires IS NOT NULL)
  )
ORDER BY m.date_debut, m.intitule
