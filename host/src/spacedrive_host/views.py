"""The views a plugin's manifest declares for the web console (``views``).

A view is a page drawn from one of the plugin's provided methods: the console calls
the method (with ``{"library": ID}`` when the view is per library) and lays out its
JSON output as the view says: one bar chart, any number of tables. An extension
gets a page with no code of its own, and the console knows no extension.

    "views": [{"name": "ledger", "title": "Ledger", "method": "totals", "library": true,
               "chart": {"title": "Per month", "rows": "by_month", "label": ["month"],
                         "value": "minor", "text": ["total"]},
               "tables": [{"title": "Totals", "rows": "by_category",
                           "columns": ["category", "total"]}]}]
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ChartView", "TableView", "ViewSpec"]

_FIELD = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChartView(_Strict):
    """Horizontal bars, one per row of a list in the output."""

    title: str = Field(max_length=200, description="The chart's heading.")
    rows: str = Field(pattern=_FIELD, description="The output's key holding the list of rows.")
    label: tuple[str, ...] = Field(min_length=1, description="Row fields shown, joined, as its label.")
    value: str = Field(pattern=_FIELD, description="The row's number: its bar's length (absolute value).")
    text: tuple[str, ...] = Field((), description="Row fields shown after the bar.")


class TableView(_Strict):
    """A table of a list in the output, one column per row field."""

    title: str = Field(max_length=200, description="The table's heading.")
    rows: str = Field(pattern=_FIELD, description="The output's key holding the list of rows.")
    columns: tuple[str, ...] = Field(min_length=1, description="The row fields shown, in order.")


class ViewSpec(_Strict):
    """One page of the console."""

    name: str = Field(
        pattern=r"^[a-z][a-z0-9_-]{0,63}$", description="The page's address: `/console/views/PLUGIN/NAME`."
    )
    title: str = Field(min_length=1, max_length=200, description="The page's heading and its link text.")
    method: str = Field(description="One of the plugin's `provides`; called with no side effects expected.")
    library: bool = Field(False, description='The method takes `{"library": ID}`: the page asks for one.')
    chart: ChartView | None = None
    tables: tuple[TableView, ...] = ()
