-- Fraîcheur par structure : le dernier mois d'heures déclaré par chaque structure, son retard en mois sur
-- le mois le plus récent reçu (toutes structures), et le premier mois qu'elle devait transmettre et n'a pas
-- encore transmis. Une structure est attendue pour un mois quand elle y est active : elle a déclaré des
-- heures au cours des 12 derniers mois reçus et au moins un de ses parcours est en cours ce mois-là
-- (entrée avant la fin du mois, pas de sortie avant son début). Une structure qui ne déclare pas d'heures
-- (centre social, mission locale) n'est jamais attendue. Sans paramètre : toujours sur toutes les données.
WITH derniers AS (
    SELECT structure_id, max(mois) AS dernier_mois FROM heures GROUP BY structure_id
), bornes AS (
    SELECT max(dernier_mois) AS fin FROM derniers
), suivants AS (
    -- every month after a recently active structure's last month, up to the latest month received
    SELECT structure_id, CAST(mois AS DATE) AS mois FROM (
        SELECT d.structure_id,
               unnest(generate_series(d.dernier_mois + INTERVAL 1 MONTH, b.fin, INTERVAL 1 MONTH)) AS mois
        FROM derniers d, bornes b
        WHERE d.dernier_mois < b.fin AND d.dernier_mois > CAST(b.fin - INTERVAL 12 MONTH AS DATE)
    )
), manquants AS (
    SELECT m.structure_id, min(m.mois) AS premier_mois_manquant, count(*) AS mois_manquants
    FROM suivants m
    WHERE EXISTS (
        SELECT 1 FROM parcours p
        WHERE p.structure_id = m.structure_id
          AND p.date_entree <= last_day(m.mois)
          AND (p.date_sortie IS NULL OR p.date_sortie >= m.mois)
    )
    GROUP BY m.structure_id
)
SELECT s.structure_id, s.nom, s.type, d.dernier_mois, b.fin AS dernier_mois_recu,
       CAST(datediff('month', d.dernier_mois, b.fin) AS INTEGER) AS retard_mois,
       COALESCE(d.dernier_mois > CAST(b.fin - INTERVAL 12 MONTH AS DATE), false) AS active,
       m.premier_mois_manquant, COALESCE(m.mois_manquants, 0) AS mois_manquants
FROM structures s
CROSS JOIN bornes b
LEFT JOIN derniers d USING (structure_id)
LEFT JOIN manquants m USING (structure_id)
ORDER BY d.dernier_mois NULLS LAST, s.nom
