"""Bazaar: the home-business marketplace of a province."""

import os

from flask import Flask

from bazaar import setup


def create_app(test_config=None):
    """Build the app: configuration, extensions, database, language, security, views, CLI."""
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH")
        or os.environ.get("BAZAAR_INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    setup.register_config(app, test_config)
    setup.register_logging(app)
    setup.register_extensions(app)
    setup.register_database(app)
    setup.register_caches(app)
    setup.register_i18n(app)
    setup.register_security(app)
    setup.register_static(app)
    setup.register_inputs(app)
    setup.register_blueprints(app)
    setup.register_metrics(app)
    setup.register_errors(app)
    setup.register_api(app)
    setup.register_tasks(app)
    setup.register_cli(app)
    return app
