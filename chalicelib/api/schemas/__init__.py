"""The contract's request and answer bodies as pydantic models, one module per topic, named by the routes'
`Doc`s (`api/docs.py`) and resolved by `api/spec.py` when it builds `GET /openapi.json`.

Field names are the wire's (camelCase). Requests say what a client may send; the routes' own parsing
(`inputs`, the domain's rules) stays the judge of values, and answers 400 with the field named.
Responses say what every answer holds; the tests validate real answers against them.
"""
