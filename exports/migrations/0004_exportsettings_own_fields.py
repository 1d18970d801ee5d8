from django.db import migrations, models

# The built-in defaults at the time of this migration: a stored value that differs is the dossier's own.
BUILT_IN = {"policy": "month", "needs_approval": False, "lock_after_export": True, "name_by_invoice_date": False}


def mark_own(apps, schema_editor):
    ExportSettings = apps.get_model("exports", "ExportSettings")
    for chosen in ExportSettings.objects.all():
        chosen.own_fields = sorted(name for name, value in BUILT_IN.items() if getattr(chosen, name) != value)
        if chosen.own_fields:
            chosen.save(update_fields=["own_fields"])


class Migration(migrations.Migration):
    dependencies = [("exports", "0003_export_uploaded_coda")]

    operations = [
        migrations.AddField(
            model_name="exportsettings", name="own_fields", field=models.JSONField(blank=True, default=list)
        ),
        migrations.RunPython(mark_own, migrations.RunPython.noop),
    ]
