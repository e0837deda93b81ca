"""An entitlement's timeline entry keeps its status by the words' source and context, so that each reader
reads it in their own language ("provided" was kept as the English word, which no catalogue translates).
Entries written in another deployment language are left as they are, and read as written."""

from django.db import migrations

MESSAGE = "Entitlement: %(entitlement)s, %(status)s"
CONTEXT = "entitlement status in a sentence"
STATUSES = ("due", "provided", "declined by the person", "not needed")


def statuses_in_their_context(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.filter(message=MESSAGE).only("message_arguments").iterator():
        status = event.message_arguments.get("status")
        if status in STATUSES:
            event.message_arguments["status"] = f"{CONTEXT}\x04{status}"
            event.save(update_fields=["message_arguments"])


class Migration(migrations.Migration):
    dependencies = [
        ("reflection", "0001_squashed_0003_choice_columns_checked"),
        ("cases", "0012_event_message"),
    ]

    operations = [migrations.RunPython(statuses_in_their_context, migrations.RunPython.noop)]
