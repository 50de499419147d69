"""The reviewer's web app (`idi serve`): checking uploads and generating documents in a browser.

`create_app(Settings(...))` builds the FastAPI app (imported lazily: `idi rules …` does not load
the web stack)."""
from .settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(name)
