"""The CDK app (`make synth`): one stage per run, `-c stage=dev|prod`.

Not named app.py: Chalice's construct imports the Chalice app as the module `app`, and this file's folder
comes first on sys.path. One stage per process, because that import happens once per process and
reads the stage's queue names and stream ARN as it does.
"""

from __future__ import annotations

from aws_cdk import App
from slotbook_infra.stack import SlotbookStack
from slotbook_infra.stage import from_context

app = App()
SlotbookStack(app, from_context(app.node))
app.synth()
