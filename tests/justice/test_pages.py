"""The justice pages: each part shown to the roles whose duty opens it, the forms through the services, the
checklist and statement log, and a residence decider answered 404 on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.justice.models import HearingMeasure, Proceeding, RiskAssessment
from tests.cases.casework import section_alone
from tests.justice.conftest import assess, days_ago, member, open_proceeding, schedule

pytestmark = pytest.mark.django_db


def test_the_investigator_records_proceedings_through_the_page(client_for, prosecutor, team_case):
    client = client_for(prosecutor)
    url = reverse("justice:proceedings", args=[team_case.reference])
    answer = client.post(
        url,
        {
            "kind": "criminal",
            "authority": "Tribunal of Examplia",
            "language": "en",
            "role": "witness",
            "charges": ["trafficking", "forced_labour"],
            "identity_withheld": "on",
            "pseudonym": "Witness A",
            "file_number": "RG 123/2026",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    proceeding = Proceeding.objects.get()
    page = client.get(reverse("justice:proceeding", args=[team_case.reference, proceeding.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "RG 123/2026" in text and "Witness A" in text
    # The charges and the authority's language in words, never their codes.
    assert "Trafficking in human beings, Forced labour" in text and "forced_labour" not in text
    assert '<dd class="col-sm-9">English</dd>' in text and "(en)" not in text


def test_a_form_refused_shows_its_errors(client_for, prosecutor, team_case):
    answer = client_for(prosecutor).post(
        reverse("justice:proceedings", args=[team_case.reference]),
        {"kind": "criminal", "authority": "", "language": "en", "role": "witness", "identity_withheld": "on"},
    )
    assert answer.status_code == 400 and "There is a problem" in answer.content.decode()


def test_the_checklist_and_the_statement_log(client_for, prosecutor, manager, team_case):
    proceeding = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, proceeding, days=20)
    client = client_for(prosecutor)
    ask = reverse("justice:ask", args=[team_case.reference, hearing.pk])
    assert client.post(ask, {"kind": "video_link"}).status_code == 302
    measure = HearingMeasure.objects.get()
    decide = reverse("justice:decide", args=[team_case.reference, measure.pk])
    assert client.post(decide, {"decision": "granted", "honoured": "no", "version": 1}).status_code == 302
    statements = reverse("justice:statements", args=[team_case.reference, proceeding.pk])
    for day in (30, 10):
        data = {"kind": "police_interview", "taken_on": days_ago(day), "taken_by": "Police"}
        assert client.post(statements, data).status_code == 302
    page = client_for(manager).get(reverse("justice:proceeding", args=[team_case.reference, proceeding.pk]))
    text = page.content.decode()
    assert "Not honoured" in text and "interviewed or testified 2 times" in text


def test_the_area_page_shows_each_role_its_parts(
    client_for, team_case, prosecutor, protector, manager, lawyer
):
    assess(protector, team_case)
    open_proceeding(prosecutor, team_case)
    url = reverse("justice:section", args=[team_case.reference])
    protector_page = client_for(protector).get(url).content.decode()
    assert "Risk assessment and protection plan" in protector_page
    assert "Threats by phone" in protector_page and "informed choices" not in protector_page
    manager_page = client_for(manager).get(url).content.decode()
    assert "informed choices" in manager_page and "Threats by phone" in manager_page
    prosecutor_page = client_for(prosecutor).get(url).content.decode()
    assert "Threats by phone" not in prosecutor_page  # T3: the protection officer's and the team's carers'
    lawyer_page = client_for(lawyer).get(url).content.decode()
    assert "Risk assessment and protection plan" not in lawyer_page and "Proceedings" in lawyer_page


def test_the_residence_decider_gets_404_on_every_page(
    client_for, officer, prosecutor, protector, manager, team_case
):
    proceeding = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, proceeding, days=20)
    assess(protector, team_case)
    client = client_for(officer)
    ref = team_case.reference
    gets = [
        reverse("justice:section", args=[ref]),
        reverse("justice:proceeding", args=[ref, proceeding.pk]),
        reverse("justice:letter", args=[ref, 1]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse(name, args=[ref])
        for name in (
            "justice:risk",
            "justice:plan",
            "justice:proceedings",
            "justice:join",
            "justice:choices",
            "justice:claims",
            "justice:offences",
            "justice:detentions",
        )
    ] + [
        reverse("justice:held", args=[ref, hearing.pk]),
        reverse("justice:ask", args=[ref, hearing.pk]),
        reverse("justice:stage", args=[ref, proceeding.pk]),
        reverse("justice:hearings", args=[ref, proceeding.pk]),
    ]
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    case_page = client.get(reverse("cases:detail_full", args=[ref])).content.decode()
    assert "section-justice" not in case_page
    assert (
        "section-justice"
        in client_for(manager).get(reverse("cases:detail_full", args=[ref])).content.decode()
    )
    assert RiskAssessment.objects.count() == 1


def test_the_case_page_section_reads_in_one_query(
    team_case, manager, prosecutor, protector, officer, django_assert_num_queries
):
    from palermo.justice.services.person import claim_award, claim_record, detention_record

    for _ in range(3):
        proceeding = open_proceeding(prosecutor, team_case)
        schedule(prosecutor, team_case, proceeding, days=12)
    assess(protector, team_case)
    who = {"actor": manager, "membership": member(manager)}
    claim = claim_record(**who, case=team_case, route="state_fund", currency="EUR", claimed_amount="900")
    claim_award(**who, claim=claim, awarded_amount="500", expected_version=claim.version)
    detention_record(**who, case=team_case, authority="Border police", starts_on=days_ago(1))
    for user in (manager, prosecutor):
        user.membership = user.memberships.get()
    text = section_alone(manager, team_case, "justice", 1, django_assert_num_queries)
    assert "3 proceedings" in text and "1 award not fully paid" in text and "In immigration detention" in text
    assert "High" in text
    officer.membership = officer.memberships.get()
    assert "section-justice" not in section_alone(officer, team_case, "justice", 0, django_assert_num_queries)


def _stage_url(case, proceeding) -> str:
    return reverse("justice:stage", args=[case.reference, proceeding.pk])


def test_a_stale_edit_shows_both_versions_and_saves_again_knowingly(client_for, prosecutor, team_case):
    from palermo.justice.services.proceedings import proceeding_update

    proceeding = open_proceeding(prosecutor, team_case)
    read_at = proceeding.version
    proceeding_update(
        actor=prosecutor,
        membership=member(prosecutor),
        case=team_case,
        proceeding=proceeding,
        stage="prosecution",
        outcome="pending",
        expected_version=read_at,
    )
    client = client_for(prosecutor)
    sent = {"stage": "closed", "outcome": "dismissed", "sentence": "", "version": read_at}
    answer = client.post(_stage_url(team_case, proceeding), sent)
    text = answer.content.decode()
    assert answer.status_code == 409
    assert "app-conflict" in text and "Closed" in text and "Prosecution" in text and "Dismissed" in text
    assert f'name="version" value="{read_at + 1}"' in text
    proceeding.refresh_from_db()
    assert proceeding.stage == "prosecution"
    # "Save my version over the current one" posts the same values at the current version.
    again = client.post(_stage_url(team_case, proceeding), {**sent, "version": read_at + 1})
    assert again.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.stage == "closed"


def test_the_same_form_sent_twice_is_the_change_made(client_for, prosecutor, team_case):
    proceeding = open_proceeding(prosecutor, team_case)
    client = client_for(prosecutor)
    sent = {"stage": "prosecution", "outcome": "pending", "sentence": "", "version": proceeding.version}
    assert client.post(_stage_url(team_case, proceeding), sent).status_code == 302
    assert client.post(_stage_url(team_case, proceeding), sent).status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.stage == "prosecution" and proceeding.version == sent["version"] + 1


def test_a_stale_edit_of_the_persons_part_shows_the_pseudonym_now(client_for, prosecutor, team_case):
    from palermo.justice.services.proceedings import party_update

    proceeding = open_proceeding(prosecutor, team_case)
    party = proceeding.parties.get()
    read_at = party.version
    party_update(
        actor=prosecutor,
        membership=member(prosecutor),
        party=party,
        role="witness",
        identity_withheld=True,
        pseudonym="Witness KILO",
        expected_version=read_at,
    )
    answer = client_for(prosecutor).post(
        reverse("justice:party", args=[team_case.reference, proceeding.pk]),
        {"role": "civil_party", "pseudonym": "", "version": read_at},
    )
    text = answer.content.decode()
    assert answer.status_code == 409 and "Witness KILO" in text and "Civil party" in text


def test_the_persons_choices_are_recorded_in_their_language_named_in_words(client_for, manager, team_case):
    client = client_for(manager)
    page = client.get(reverse("justice:section", args=[team_case.reference])).content.decode()
    assert '<option value="tir">Tigrinya (tir)</option>' in page  # chosen from the languages, not typed
    choices = {"language": "tir", "cooperates": "undecided", "claims_compensation": "yes", "testifies": "no"}
    url = reverse("justice:choices", args=[team_case.reference])
    typed = client.post(url, {**choices, "language": "ti-x"})
    said = typed.content.decode()
    assert typed.status_code == 400 and "Choose “Language the person was informed in” from the list." in said
    assert "Select a valid choice" not in said and "ti-x" not in said  # the project's words, not echoed
    answer = client.post(url, choices)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    page = client.get(reverse("justice:section", args=[team_case.reference])).content.decode()
    assert '<span class="small">(Tigrinya)</span>' in page  # the choice's language by its name


def test_a_form_on_a_row_refused_shows_its_errors_on_that_row(client_for, manager, protector, team_case):
    """Each form of a record's row (a measure's status, an award, a payment, a request, its answer, a
    release) sent with errors opens again on that row, posting to that record: not in the place of the
    area's form to add a record, where sending it again would add one."""
    from palermo.justice.services import person
    from tests.justice.conftest import add_measure

    who = {"actor": manager, "membership": member(manager)}
    measure = add_measure(protector, team_case)
    claim = person.claim_record(
        **who, case=team_case, route="state_fund", currency="EUR", claimed_amount="900"
    )
    claim = person.claim_award(**who, claim=claim, awarded_amount="500", expected_version=claim.version)
    offence = person.offence_record(**who, case=team_case, kind="irregular_entry", status="charged", link="x")
    request = person.non_punishment_request(**who, offence=offence, prosecutor="P", language="en")
    detention = person.detention_record(
        **who, case=team_case, authority="Border police", starts_on=days_ago(1)
    )
    ref = team_case.reference
    sent = [
        (protector, reverse("justice:plan-status", args=[ref, measure.pk]), {"status": "", "version": 1}),
        (manager, reverse("justice:award", args=[ref, claim.pk]), {"awarded_amount": "", "version": 2}),
        (manager, reverse("justice:payment", args=[ref, claim.pk]), {"amount": "", "version": 2}),
        (manager, reverse("justice:request", args=[ref, offence.pk]), {"prosecutor": "", "language": "en"}),
        (manager, reverse("justice:outcome", args=[ref, request.pk]), {"outcome": "", "version": 1}),
        (manager, reverse("justice:release", args=[ref, detention.pk]), {"ends_on": "", "version": 1}),
    ]
    for user, url, data in sent:
        answer = client_for(user).post(url, data)
        text = answer.content.decode()
        assert answer.status_code == 400 and "There is a problem" in text, url
        opened = text.split('<details class="mb-3" open>')
        assert len(opened) == 2, url  # one form opened: the one sent
        assert f'action="{url}"' in opened[1].split("</details>")[0], url


def test_every_form_of_the_area_s_pages_refused_shows_its_errors_where_it_was_sent(
    client_for, manager, protector, prosecutor, team_case
):
    from palermo.justice.services import person, proceedings
    from tests.core.forms_in_place import assert_each_form_refused_in_place
    from tests.justice.conftest import add_measure

    who = {"actor": manager, "membership": member(manager)}
    add_measure(protector, team_case)
    claim = person.claim_record(
        **who, case=team_case, route="state_fund", currency="EUR", claimed_amount="900"
    )
    person.claim_award(**who, claim=claim, awarded_amount="500", expected_version=claim.version)
    offence = person.offence_record(**who, case=team_case, kind="irregular_entry", status="charged", link="x")
    person.non_punishment_request(**who, offence=offence, prosecutor="P", language="en")
    person.detention_record(**who, case=team_case, authority="Border police", starts_on=days_ago(1))
    proceeding = open_proceeding(prosecutor, team_case)
    for days in (0, 20):
        hearing = schedule(prosecutor, team_case, proceeding, days=days)
        proceedings.hearing_measure_request(
            actor=prosecutor,
            membership=member(prosecutor),
            case=team_case,
            hearing=hearing,
            kind="video_link",
        )
    area = reverse("justice:section", args=[team_case.reference])
    assert assert_each_form_refused_in_place(client_for(manager), area) >= 8
    assert assert_each_form_refused_in_place(client_for(protector), area) >= 2
    page = reverse("justice:proceeding", args=[team_case.reference, proceeding.pk])
    assert assert_each_form_refused_in_place(client_for(prosecutor), page) >= 6
