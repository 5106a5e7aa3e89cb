-- Heures travaillées, facturées et de formation (lieu de travail) ; personnes employées (au moins 1 heure
-- sur la période, toutes structures) et salariés en parcours (idem, structures IAE seulement), comptés
-- par commune de résidence quand un filtre de commune est actif.
WITH lieu AS (
    SELECT * FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
), residents AS (
    SELECT personne_id, famille, sum(heures_travaillees) AS heures
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY personne_id, famille
)
SELECT
    (SELECT COALESCE(sum(heures_travaillees), 0) FROM lieu) AS heures_travaillees,
    (SELECT COALESCE(sum(heures_facturees), 0) FROM lieu) AS heures_facturees,
    (SELECT COALESCE(sum(heures_formation), 0) FROM lieu) AS heures_formation,
    (SELECT count(*) FROM (SELECT personne_id FROM residents GROUP BY personne_id HAVING employe(sum(heures))))
        AS personnes_employees,
    (SELECT count(*) FROM (SELECT personne_id FROM residents WHERE famille = 'IAE'
        GROUP BY personne_id HAVING employe(sum(heures)))) AS salaries_en_parcours
