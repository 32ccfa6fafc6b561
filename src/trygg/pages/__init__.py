"""What the dashboard's pages say, worked out from the figures the core publishes.

Pure functions over :func:`trygg.stats.report.compute_stats` and the other public
results (never the store): the Plats page's sentences, trend and tables (``place``),
and the Jämför page's ranking (``ranking``). The pages lay these out as they are.
"""
