"""How core finds what the apps contribute without importing them: each installed app may have a module of a
known name (menu.py, todo.py, alerts.py, jobs.py, synthetic.py), and core reads it through Django's app
registry. Adding an app to INSTALLED_APPS is all it takes; core never names a domain app.

| module         | what it holds                                                    | read by                       |
| -------------- | ---------------------------------------------------------------- | ----------------------------- |
| `menu.py`      | `ITEMS`: a list of `core.navigation.MenuItem`                    | `core.navigation.menu_for`    |
| `todo.py`      | `lines(user, org, today)`: a list of `core.todos.Todo`           | `core.todos.todo_items`       |
| `alerts.py`    | `KINDS` and `alerts(paths, today)`: `core.alerting.Alert`s       | `core.alerting.collect`       |
| `jobs.py`      | `JOBS`: a list of `core.scheduling.Job`                          | `core.scheduling.all_jobs`    |
| `synthetic.py` | `generate_demo(today, seed, log)`, after `AppConfig.demo_after`  | the demo dataset generator    |
| `tests/walk.py`| the app's part of the scoping walk                               | core/tests/test_scoping_walk  |
| `portal_items.py` | `for_disclosure(d)`: context for a disclosure's public page     | disclosure.public_views       |
| `rollups.py`   | `ROLLUPS`: `orgs.summaries.Rollup`s, figures kept per subtree    | orgs.summaries (OrgsConfig)   |

Core's own registries are named for what they do (navigation, todos, alerting, scheduling) so that none of them
is mistaken for core's own contribution.

An app's AppConfig may also set `url_prefix` (its `urls.py` is mounted there), `public_url_prefix` (its
`public_urls.py`, pages without login) and `api_prefix` (its `api.router` under /api/v1/).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def grassroots_apps():
    """The project's own app configs, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if config.name.startswith("grassroots.")]


def app_modules(module_name):
    """(app_config, module) for every project app that has `<app>/<module_name>.py`, in INSTALLED_APPS order."""
    found = []
    for config in grassroots_apps():
        dotted = f"{config.name}.{module_name}"
        if find_spec(dotted) is not None:
            found.append((config, import_module(dotted)))
    return found


def named_contributions(module_name, attribute, what):
    """{item.name: item} of every app's `<module_name>.<attribute>` list, in INSTALLED_APPS order (jobs, roll-ups);
    a name used twice is a programming error, reported with `what` it is."""
    found = {}
    for config, module in app_modules(module_name):
        for item in getattr(module, attribute):
            if item.name in found:
                raise ValueError(f"{what} {item.name!r} is declared twice ({config.name})")
            found[item.name] = item
    return found
