"""Building the measure editor's POST data the way the browser sends it."""


def formset_data(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def items(texts: list[str]) -> list[dict]:
    return [{"text": text, "ORDER": order} for order, text in enumerate(texts, 1)]


def editor_data(measure, *, setup: bool = True, **overrides) -> dict:
    """The editor's form as it opens for ``measure``, with ``overrides`` typed over it."""
    data = {"version": measure.version}
    if setup:
        data.update(
            {
                "title": measure.title,
                "start_month": measure.start_month or "",
                "start_year": measure.start_year or "",
                "end_month": measure.end_month or "",
                "end_year": measure.end_year or "",
                "divisions": [d.pk for d in measure.divisions.all()],
                "indicators": [i.pk for i in measure.indicators.all()],
            }
        )
        data.update(formset_data("methods", items([m.text for m in measure.methods.all()])))
    data.update(formset_data("results", items([r.text for r in measure.results.all()])))
    outcomes = [
        {
            "text": o.text,
            "indicator": o.indicator_id or "",
            "ORDER": o.order,
            **({"cite_score": "on"} if o.cite_score else {}),
        }
        for o in measure.outcomes.all()
    ]
    data.update(formset_data("outcomes", outcomes))
    data.update(overrides)
    return data
