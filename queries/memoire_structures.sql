-- Mémoire d'insertion : les structures capables d'intervenir sur le territoire et dans les activités d'un marché.
-- Une structure est retenue quand au moins une de ses interventions commencées au plus tard l'année $annee est
-- située dans une des communes $communes (codes de communes nouvelles ou voisines ; toutes si NULL) et, si
-- $activites est donné, porte une activité qui contient l'un des mots (majuscules indifférentes). Pour chaque
-- structure retenue : type, siège, année d'adhésion, toutes ses activités et les communes où elle intervient.
WITH i AS (
    SELECT i.structure_id, i.activite, i.commune_nouvelle, c.nom AS commune_nouvelle_nom
    FROM interventions_x i
    LEFT JOIN communes_x c ON c.code_insee = i.commune_nouvelle
    WHERE year(i.date_debut) <= $annee
),
retenues AS (
    SELECT DISTINCT structure_id FROM i
    WHERE ($communes IS NULL OR list_contains($communes, i.commune_nouvelle))
      AND ($activites IS NULL OR EXISTS (
            SELECT 1 FROM unnest(CAST($activites AS VARCHAR[])) AS t(mot) WHERE i.activite ILIKE '%' || t.mot || '%'))
)
SELECT s.structure_id, s.nom, s.type, s.type_libelle, s.famille, s.commune_siege_nom, s.commune_insee,
       year(s.date_adhesion) AS annee_adhesion,
       string_agg(DISTINCT i.activite, ' ; ' ORDER BY i.activite) AS activites,
       string_agg(DISTINCT i.commune_nouvelle_nom, ', ' ORDER BY i.commune_nouvelle_nom) AS communes_servies
FROM retenues
JOIN structures_x s USING (structure_id)
JOIN i USING (structure_id)
GROUP BY ALL
ORDER BY s.nom
