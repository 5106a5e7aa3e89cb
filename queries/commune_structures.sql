-- Structures actives dans la commune sur la période : heures travaillées sur des interventions situées
-- dans la commune, et habitants de la commune qu'elles ont employés (au moins 1 heure).
WITH lieu AS (
    SELECT structure_id, sum(heures_travaillees) AS heures_commune
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    GROUP BY structure_id
), res AS (
    SELECT structure_id, personnes AS habitants_employes
    FROM employes_par_structure($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
)
SELECT s.structure_id, s.nom, s.type, s.famille, COALESCE(lieu.heures_commune, 0) AS heures_commune,
       COALESCE(res.habitants_employes, 0) AS habitants_employes
FROM structures_x s
LEFT JOIN lieu USING (structure_id)
LEFT JOIN res USING (structure_id)
WHERE lieu.heures_commune > 0 OR res.habitants_employes > 0
ORDER BY heures_commune DESC, habitants_employes DESC, s.nom
