"""The reference: a bottle hello-world, served by the same gunicorn settings as coachctl."""

import bottle

app = bottle.Bottle()


@app.get("/")
def hello() -> str:
    return "Hello, world"
