"""Slotbook's Chalice app: wiring only. Routes live in chalicelib/api, rules in chalicelib/domain."""

from chalice.app import Chalice

from chalicelib.api import admin, appointments, auth, catalogue, customers, front_desk, schedule
from chalicelib.observability import http_middleware

app = Chalice(app_name="slotbook")
app.register_middleware(http_middleware, "http")

for module in (auth, catalogue, appointments, front_desk, schedule, customers, admin):
    app.register_blueprint(module.routes.blueprint)
