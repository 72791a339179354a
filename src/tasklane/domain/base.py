"""The base of every pydantic model here.

``defer_build``: pydantic builds a model's validator when it is first used, not when the
class is defined. A cold start then pays only for the models its first request needs, not
for every model of every route (~20 ms of the api handler's import otherwise).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
