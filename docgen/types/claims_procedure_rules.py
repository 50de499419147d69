"""理赔操作规程 (BJ 第二十条): the insurer's claims rules protecting the owners, reported to the
insurance regulator; each step no longer than 第二十条 allows (查勘2日、核定7日/30日、赔付7日、
不予赔偿通知3日). Built by claims_plan.make."""
from __future__ import annotations

from .claims_plan import Variant, make

TYPE = make(Variant(
    id="claims-procedure-rules", title="理赔操作规程", stage="claims", noun="本规程",
    summary="保险公司制定并向保险监管部门报告的理赔操作规程：报案受理、查勘、核定、赔付各环节标准和时限、维修、争议处理"))
