"""预看房质量问题专项检查报告 (SH 第八条（三）): the twin of the household-acceptance report, for the
developer's quality pre-viewing (notice at least 10 working days before, SH 第九条（一）4; open
problems bar completion acceptance). Built by household_inspection_report.make."""
from __future__ import annotations

from .household_inspection_report import SpotCheckData, Twin, make

TYPE = make(Twin(
    id="pre-viewing-report", title="预看房质量问题专项检查报告",
    summary="风险管理机构对业主房屋质量预看房的问题抽查报告：通知期限、抽查情况、质量问题及整改、结论、上传期限",
    activity="质量预看房", check="预看房质量问题抽查", milestone="pre_viewing", notice="pre-viewing-notice",
    verdict=False), SpotCheckData)
