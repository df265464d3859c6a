"""``coachctl report``: the funnel, revenue and sources of a range of days, in the terminal."""

from __future__ import annotations

import csv
import sys
from typing import Any

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, load_coach

app = typer.Typer(add_completion=False, rich_markup_mode=None)

FUNNEL = (
    ("views", "Page views"),
    ("cta_clicks", "Clicks on Book or Buy"),
    ("checkouts", "Checkouts started"),
    ("purchases", "Purchases"),
    ("bookings", "Bookings"),
)
SPARKS = "▁▂▃▄▅▆▇█"
BAR = 20  # the widest funnel bar, so the funnel fits 80 columns
COLUMNS = ("views", "visitors", "cta_clicks", "checkouts", "purchases", "bookings", "refunds")
LABELS = {"day": "day", "page": "path", "source": "source", "product": "product"}
LISTS = {"day": "days", "page": "pages", "source": "sources", "product": "products"}


def _money(amounts: dict[str, int]) -> str:
    from coachctl.engine.commerce.money import Money

    return ", ".join(Money(amount, cur).display() for cur, amount in amounts.items()) or "-"


def sparkline(values: list[int]) -> str:
    """One character per value, scaled to the largest."""
    top = max(values, default=0)
    if not top:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(7, value * 8 // (top + 1))] for value in values)


def _rows(data: dict[str, Any], by: str) -> tuple[list[str], list[list[Any]]]:
    label = LABELS[by]
    header = [label, *(["title"] if by == "product" else []), *COLUMNS, "revenue"]
    rows = [
        [
            row[label],
            *([row["title"]] if by == "product" else []),
            *(row[name] for name in COLUMNS),
            _money(row["revenue"]),
        ]
        for row in data[LISTS[by]]
    ]
    return header, rows


def _print_report(data: dict[str, Any], by: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]{data['coach']}[/bold]  {data['from']} to {data['to']} ({data['timezone']})"
    )
    top = max([data[name] for name, _ in FUNNEL] + [1])
    funnel = Table(title="Funnel", title_justify="left", show_header=False, box=None)
    funnel.add_column(no_wrap=True)
    funnel.add_column(justify="right")
    funnel.add_column(width=BAR, no_wrap=True)
    funnel.add_column(no_wrap=True)
    for index, (name, label) in enumerate(FUNNEL):
        count = data[name]
        base = data["views"] if name == "bookings" else data[FUNNEL[index - 1][0]]
        step = (
            ""
            if index == 0
            else (
                f"{count / base:.1%} of {'views' if name == 'bookings' else 'previous'}"
                if base
                else "-"
            )
        )
        funnel.add_row(label, str(count), f"[cyan]{'█' * round(BAR * count / top)}[/cyan]", step)
    console.print(funnel)
    console.print(
        f"Visitors {data['visitors']}   Cancellations {data['cancellations']}   "
        f"Refunds {data['refunds']} ({_money(data['refunded'])})"
    )
    console.print(f"Sessions held {data['completed']}   No-shows {data['no_shows']}")
    console.print(f"Revenue (net of refunds): [bold]{_money(data['revenue'])}[/bold]")
    console.print(f"Daily views  {sparkline([day['views'] for day in data['days']])}")
    for title, key, label, count in (
        ("Top sources", "sources", "source", "views"),
        ("Top products", "products", "title", "purchases"),
    ):
        rows = data[key][:5]
        if rows:
            console.print(f"{title}: " + ", ".join(f"{row[label]} ({row[count]})" for row in rows))
    if by != "day":
        header, rows = _rows(data, by)
        table = Table(title=f"By {by}", title_justify="left")
        for column in header:
            table.add_column(column)
        for row in rows:
            table.add_row(*(str(cell) for cell in row))
        console.print(table)


@app.command()
def report(
    start: str = typer.Option(None, "--from", help="First day, YYYY-MM-DD (default: 29 days ago)."),
    end: str = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (default: today)."),
    by: str = typer.Option("day", "--by", help="Break down by day, page, product or source."),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
    as_csv: bool = typer.Option(False, "--csv", help="Print the breakdown as CSV.", metavar=""),
) -> None:
    """Show the funnel from page view to purchase, revenue, sources and products."""
    from coachctl.engine import parse
    from coachctl.engine.errors import Invalid
    from coachctl.engine.insights import report as reports

    if by not in LABELS:
        raise Invalid(f"--by must be one of {', '.join(LABELS)}, not {by!r}")
    _, found = load_coach(coach)
    data = reports.summary(
        found, parse.day(start) if start else None, parse.day(end) if end else None
    )
    if as_json:
        emit_json(data)
    elif as_csv:
        header, rows = _rows(data, by)
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
    else:
        _print_report(data, by)
