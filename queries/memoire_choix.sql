-- Choix proposés pour un mémoire d'insertion : les communes qu'un marché peut couvrir (communes nouvelles de
-- Mauges Communauté et communes des intercommunalités voisines, avec leur intercommunalité) et les activités
-- déjà exercées dans les interventions du collectif. Une ligne par choix : genre ('commune' ou 'activite').
SELECT 'commune' AS genre, code_insee AS valeur, nom || CASE WHEN niveau = 'commune_nouvelle' THEN '' ELSE ' (' || epci || ')' END AS libelle,
       CASE WHEN niveau = 'commune_nouvelle' THEN 0 ELSE 1 END AS ordre
FROM communes_x
WHERE niveau IN ('commune_nouvelle', 'commune')
UNION ALL
SELECT DISTINCT 'activite', activite, activite, 2 FROM interventions
ORDER BY ordre, libelle
