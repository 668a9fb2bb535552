"""The second ceiling: Flask + Flask-SQLAlchemy + Jinja rendering 50 rows from SQLite.

The database file is BENCH_CEILING_DATABASE (made by create_database() before the server
starts); the page is the smallest honest version of a forum list page.
"""

from __future__ import annotations

import os
import random
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 1_000
PAGE = 50


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(30))
    replies: Mapped[int]
    created_at: Mapped[datetime]


def create_database(path: Path, titles: list[str]) -> None:
    """A SQLite file with ROWS items (titles from the forum's own vocabulary)."""
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    rng = random.Random(9)
    start = datetime(2025, 1, 1)
    with Session(engine) as session:
        session.add_all(
            Item(
                title=rng.choice(titles)[:150],
                summary=" ".join(rng.sample(titles, 3))[:300],
                author=f"member_{rng.randint(1, 999)}",
                replies=rng.randint(0, 40),
                created_at=start + timedelta(hours=number),
            )
            for number in range(ROWS)
        )
        session.commit()
    engine.dispose()


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.environ.get(
    "BENCH_CEILING_DATABASE", str(Path(__file__).with_name("ceiling.db"))
)
db = SQLAlchemy(app, model_class=Base)


@app.get("/")
def index() -> str:
    items = db.session.scalars(select(Item).order_by(Item.created_at.desc()).limit(PAGE)).all()
    return render_template("rows.html", items=items)
