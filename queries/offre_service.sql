-- Offre de service du collectif : quelle structure exerce quelle activité, et dans quelles communes (regroupées
-- par commune nouvelle, ou commune voisine), d'après les interventions en cours pendant les années $annee_debut
-- à $annee_fin (commencées au plus tard la dernière année, sans fin ou finies au plus tôt la première).
SELECT i.activite, s.nom AS structure_nom, s.type, s.type_libelle,
       string_agg(DISTINCT c.nom, ', ' ORDER BY c.nom) AS communes,
       count(DISTINCT i.commune_nouvelle) AS nb_communes
FROM interventions_x i
JOIN structures_x s USING (structure_id)
LEFT JOIN communes_x c ON c.code_insee = i.commune_nouvelle
WHERE year(i.date_debut) <= $annee_fin
  AND (i.date_fin IS NULL OR year(i.date_fin) >= $annee_debut)
GROUP BY ALL
ORDER BY i.activite, s.nom
