"""Pure view functions the console renders: data for pages and SVG pictures as strings.

Each module's docstring explains its API:

* :mod:`.history`: ``entity_history(store, entity_id)``, ``entity_as_of(store, entity_id, on)``;
* :mod:`.listdiff`: ``snapshot_diff(store, a_id, b_id)``;
* :mod:`.ownership_svg`: ``ownership_svg(store, entity_id, as_of)`` (data: :mod:`.ownership`);
* :mod:`.charts`: ``bar_chart(series, ...)``, ``line_chart(series_by_day, ...)``;
* :mod:`.dashboard`: ``dashboard_stats(store, days=30, today=None)``, drawn by
  :mod:`.dashboard_charts`: ``dashboard_charts(stats)`` (five SVG charts).

Nothing here writes to the store, and every text value in SVG output is XML-escaped
(:mod:`.svg`), so templates may insert the SVG strings as they are (mark them safe). Sizes
are in pixels with a ``viewBox``: CSS ``max-width: 100%; height: auto`` scales them down.
Links to parties are ``/ui/entities/{id}`` with the id percent-encoded as one path segment
(``%2F`` for ``/``): the route should take the id as a path parameter of type ``path``.
"""
