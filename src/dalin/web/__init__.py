"""The browser UI: static files (HTML, CSS, JavaScript modules) that ``dalin serve`` serves at /.

No build step and nothing fetched from elsewhere at run time; the pages talk only to the
REST API of the same origin.
"""

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
