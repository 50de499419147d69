"""The compliance timeline computed from sample projects, checked date by date."""
from datetime import date
from pathlib import Path

import pytest

from corpus.errors import InputError
from corpus.packs import resolve_pack
from corpus.timeline import compute_timeline, load_project, timeline_for_project

SAMPLES = Path(__file__).parents[1] / "corpus" / "samples"


def events_of(timeline):
    return {e.id: e for e in timeline.events}


def sample(name):
    return timeline_for_project(load_project(SAMPLES / f"project-{name}.yaml"))


def test_shanghai_sample_dates():
    timeline = sample("shanghai")
    events = events_of(timeline)
    assert timeline.pack.id == "shanghai-2025"
    # 29 Sep 2025 + 3 working days across the 1–8 October holiday.
    assert events["policy-upload"].date == date(2025, 10, 10)
    assert events["policy-upload"].method == "working_days"
    assert events["policy-upload"].citation == "沪建规范联〔2025〕2号 第六条"
    # 10 working days before 12 Oct 2026, across Mid-Autumn (25–27 Sep) and National Day.
    assert events["household-acceptance-notice"].date == date(2026, 9, 21)
    # Cover start inferred from completion filing (16 Nov 2026) + 2 years.
    assert events["liability-start"].date == date(2028, 11, 16)
    assert events["owner-announcement"].date == date(2028, 10, 16)
    assert events["claims-briefing"].date == date(2028, 9, 16)
    assert events["joint-inspection"].date == date(2028, 9, 16)


def test_missing_milestones_become_notes_not_errors():
    timeline = sample("shanghai")
    assert "denial-notice" not in events_of(timeline)
    assert any(n.startswith("denial-notice") and "作出核定" in n for n in timeline.notes)
    # Shanghai's rules do not restate the coverage periods: no end dates are invented.
    assert not [e for e in timeline.events if e.id.startswith("coverage-end:")]
    assert any("不推算保险期限届满日" in n for n in timeline.notes)


def test_empty_milestones_give_only_notes():
    pack = resolve_pack("shanghai-2025").pack
    timeline = compute_timeline(pack, {})
    assert timeline.events == []
    assert len(timeline.notes) >= len(pack.deadlines)


def test_liability_start_from_the_policy_overrides_the_inferred_one():
    pack = resolve_pack("shanghai-2025").pack
    timeline = compute_timeline(pack, {"completion_filed": date(2026, 1, 5),
                                       "liability_start": date(2028, 3, 1)})
    events = events_of(timeline)
    assert events["liability-start"].date == date(2028, 3, 1)
    assert events["liability-start"].method == "policy"
    assert events["owner-announcement"].date == date(2028, 2, 1)


def test_claim_deadlines_past_the_calendar_are_flagged_not_guessed():
    pack = resolve_pack("shanghai-2025").pack
    timeline = compute_timeline(pack, {"determination_made": date(2030, 5, 2),
                                       "briefing_meeting": date(2030, 5, 2)})
    events = events_of(timeline)
    assert events["denial-notice"].date == date(2030, 5, 5)
    assert "未核对末日是否为法定休假日" in events["denial-notice"].note
    assert "briefing-materials-upload" not in events
    assert any(n.startswith("briefing-materials-upload") and "2030年" in n for n in timeline.notes)


def test_beijing_claim_deadlines_roll_over_national_day():
    events = events_of(sample("beijing"))
    assert events["claim-survey"].date == date(2024, 10, 8)          # 29 Sep + 2 = 1 Oct (holiday)
    assert events["claim-determination"].date == date(2024, 10, 8)   # 29 Sep + 7 = 6 Oct (holiday)
    assert events["claim-determination"].note.startswith("原末日 2024-10-06 为国庆节")
    assert events["claim-determination-complex"].date == date(2024, 10, 29)
    assert events["denial-notice"].date == date(2024, 10, 8)         # 30 Sep + 3 = 3 Oct (holiday)
    assert events["claim-payment"].date == date(2024, 10, 16)
    assert events["liability-start"].date == date(2023, 12, 20)
    assert events["coverage-end:structure"].date == date(2033, 12, 19)
    assert events["coverage-end:insulation-waterproofing"].date == date(2028, 12, 19)


def test_hangzhou_periods_and_fund_events():
    events = events_of(sample("hangzhou"))
    assert events["liability-start"].date == date(2027, 12, 31)
    assert events["coverage-end:structure"].date == date(2037, 12, 30)
    assert events["coverage-end:waterproofing"].date == date(2033, 12, 30)
    # 30 Apr 2026 + 3 days = 3 May, inside the Labour Day holiday (1–5 May) -> 6 May.
    assert events["first-repair-inspection"].date == date(2026, 5, 6)
    assert events["claim-determination"].date == date(2026, 10, 8)   # 24 Sep + 10 = 4 Oct (holiday)
    assert events["fund-complaint-start"].date == date(2026, 4, 20)


def test_jiyuan_cover_start_comes_from_the_policy():
    timeline = sample("jiyuan")
    events = events_of(timeline)
    assert events["liability-start"].date == date(2025, 3, 15)
    assert events["coverage-end:structure"].date == date(2035, 3, 14)
    assert events["coverage-end:structure"].note  # a minimum period: the contract may say more
    # 24 Jan 2025 + 2 days = Sunday 26 Jan, an adjusted working day: not moved.
    assert events["claim-survey"].date == date(2025, 1, 26)
    # + 7 days = 31 Jan, inside the Spring Festival holiday -> 5 Feb.
    assert events["claim-determination"].date == date(2025, 2, 5)


@pytest.mark.parametrize("name", ["shanghai", "hangzhou", "beijing", "jiaxing", "jiyuan"])
def test_every_sample_gives_cited_events_in_date_order(name):
    timeline = sample(name)
    assert timeline.events
    dates = [e.date for e in timeline.events]
    assert dates == sorted(dates)
    for event in timeline.events:
        assert event.cite and event.citation.endswith(event.cite)
        assert event.rule == f"{timeline.pack.id}/{event.id}"
        assert event.convention


def test_expired_pack_is_used_with_a_warning_when_chosen_by_city_today():
    resolution = resolve_pack("杭州", date(2026, 11, 21))
    assert resolution.pack.id == "hangzhou-2024"
    assert "已于 2026-02-28 失效" in resolution.warning


def test_malformed_project_file_names_the_field(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("pack: 上海\nmilestones:\n  policy_issued: 2025-13-01\n  completed: 2026-01-01\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_project(bad)
    message = str(error.value)
    assert str(bad) in message
    assert "milestones.policy_issued" in message
    assert "completed" in message


def test_missing_project_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        load_project(tmp_path / "none.yaml")
