"""``rok serve``: the report and the workbench (compare any two documents, search) on a local server."""

from __future__ import annotations

from pathlib import Path

import typer

from rok_compare.cli.corpus import _db, _db_option, _shown
from rok_compare.cli.output import Progress, fail, terminal_safe

LOCAL = "127.0.0.1"


def register(app: typer.Typer) -> None:
    """Add the serve command to ``app``."""
    app.command("serve")(serve_command)


def serve_command(
    db: Path | None = _db_option(),  # noqa: B008
    host: str = typer.Option(LOCAL, "--host", help="Address to listen on. The default answers this machine "
                             "only; 0.0.0.0 opens the store to the network (read-only)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the report in the default browser."),
    cache: Path | None = typer.Option(None, "--cache", help="Folder for the built report (default: one per "  # noqa: B008
                                      "store under ~/.cache/rok-compare).", show_default=False),
) -> None:
    """Serve the store's report on a local web server, with /compare (align any two documents),
    /diff (two versions), /search and JSON under /api. Never writes the store."""
    import os
    import socket

    from rok_compare.serve import ServeError, create_app

    db = _db(db)
    try:
        with Progress("serve: building the report", counted=False):
            app = create_app(db, cache, hosts=[host] if host != LOCAL else [])
    except ServeError as error:
        fail(str(error))
        raise typer.Exit(code=2) from None
    try:
        listener = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        fail(f"--host {host} --port {port}: cannot listen there ({reason})")
        raise typer.Exit(code=2) from None
    bound = listener.getsockname()[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/"
    typer.echo(f"serving {terminal_safe(_shown(str(db)))} read-only at {url}  (Ctrl-C stops)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"note: --host {terminal_safe(host)}: other machines that reach this one can read the store",
                   err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    _run(app, listener)


def _run(app, listener) -> None:
    """Serve on the socket already bound (so a busy port is one line above, not uvicorn's traceback)."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])
