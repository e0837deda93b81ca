"""Justice screens: the area's page of a case, each proceeding's page, the letter, and one URL per form.
Case references and record ids only in URLs."""

from django.urls import path

from palermo.justice.views import pages as v

app_name = "justice"
urlpatterns: list = [
    path("<str:reference>/", v.area_page, name="section"),
    path("<str:reference>/risk/", v.risk_view, name="risk"),
    path("<str:reference>/plan/", v.plan_view, name="plan"),
    path("<str:reference>/plan/<int:pk>/", v.plan_status_view, name="plan-status"),
    path("<str:reference>/proceedings/", v.proceeding_view, name="proceedings"),
    path("<str:reference>/proceedings/join/", v.join_view, name="join"),
    path("<str:reference>/proceedings/<int:pk>/", v.proceeding_page, name="proceeding"),
    path("<str:reference>/proceedings/<int:pk>/stage/", v.stage_view, name="stage"),
    path("<str:reference>/proceedings/<int:pk>/party/", v.party_view, name="party"),
    path("<str:reference>/proceedings/<int:pk>/hearings/", v.hearing_view, name="hearings"),
    path("<str:reference>/proceedings/<int:pk>/statements/", v.statement_view, name="statements"),
    path("<str:reference>/hearings/<int:pk>/held/", v.held_view, name="held"),
    path("<str:reference>/hearings/<int:pk>/adjourn/", v.adjourn_view, name="adjourn"),
    path("<str:reference>/hearings/<int:pk>/cancel/", v.cancel_view, name="cancel"),
    path("<str:reference>/hearings/<int:pk>/measures/", v.ask_view, name="ask"),
    path("<str:reference>/hearing-measures/<int:pk>/", v.decide_view, name="decide"),
    path("<str:reference>/choices/", v.choices_view, name="choices"),
    path("<str:reference>/claims/", v.claim_view, name="claims"),
    path("<str:reference>/claims/<int:pk>/award/", v.award_view, name="award"),
    path("<str:reference>/claims/<int:pk>/payment/", v.payment_view, name="payment"),
    path("<str:reference>/offences/", v.offence_view, name="offences"),
    path("<str:reference>/offences/<int:pk>/request/", v.request_view, name="request"),
    path("<str:reference>/requests/<int:pk>/outcome/", v.outcome_view, name="outcome"),
    path("<str:reference>/requests/<int:pk>/letter.pdf", v.letter_pdf, name="letter"),
    path("<str:reference>/detentions/", v.detention_view, name="detentions"),
    path("<str:reference>/detentions/<int:pk>/release/", v.release_view, name="release"),
]
