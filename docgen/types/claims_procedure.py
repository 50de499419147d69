"""出险查勘和理赔保修流程 (JX 三（七）): the insurer's survey and repair procedure, with the dedicated
team and 24-hour line the notice requires; the notice gives no time limits, which the document says.
Built by claims_plan.make."""
from __future__ import annotations

from .claims_plan import Variant, make

TYPE = make(Variant(
    id="claims-procedure", title="出险查勘和理赔保修流程", stage="claims", noun="本流程",
    summary="保险机构的出险查勘和理赔保修流程：理赔保修服务团队、24小时专线、各环节服务标准、出险查勘、理赔保修"))
