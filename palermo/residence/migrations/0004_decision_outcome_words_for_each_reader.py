"""A residence decision's timeline entry keeps its outcome by the label's source and context, so that each
reader reads it in their own language ("granted" was kept as a lower-case English word, which a catalogue
translated as another sense of the word). Entries written in another deployment language are left as they
are, and read as written."""

from django.db import migrations

MESSAGES = (
    "Decision on the application (%(kind)s): %(outcome)s",
    "Decision on appeal (%(kind)s): %(outcome)s",
)
OUTCOMES = {"granted": "decision outcome\x04Granted", "refused": "decision outcome\x04Refused"}


def outcomes_in_their_context(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.filter(message__in=MESSAGES).only("message_arguments").iterator():
        outcome = event.message_arguments.get("outcome")
        if outcome in OUTCOMES:
            event.message_arguments["outcome"] = OUTCOMES[outcome]
            event.save(update_fields=["message_arguments"])


class Migration(migrations.Migration):
    dependencies = [
        ("residence", "0001_squashed_0003_choice_columns_checked"),
        ("cases", "0012_event_message"),
    ]

    operations = [migrations.RunPython(outcomes_in_their_context, migrations.RunPython.noop)]
