"""The figures of the dashboard, each defined once over queries/ (one module per theme).

Every page, export and test calls these functions; pages never hold SQL or data shaping.
"""

from impact.indicators.core import KPI_KEYS, MIN_SORTIES_TAUX, SORTIES_COUNTS, Taux, kpis  # noqa: F401
