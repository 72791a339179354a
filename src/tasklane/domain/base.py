"""The base of every pydantic model here.

``defer_build``: pydantic builds a model's validator when it is first used, not when the
class is defined. A cold start then pays only for the models its first request needs, not
for every model of every route (~20 ms of the api handler's import otherwise).

The modules of domain models do without ``from __future__ import annotations``: their
annotations are objects already when a class is made, so pydantic evaluates no string per
field (~2 ms of the api handler's import). A class named before it exists is quoted.
"""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
