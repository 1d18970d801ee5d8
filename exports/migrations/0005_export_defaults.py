from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exports", "0004_exportsettings_own_fields")]

    operations = [
        migrations.CreateModel(
            name="ExportDefaults",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "policy",
                    models.CharField(
                        choices=[
                            ("never", "Never (only by hand)"),
                            ("month", "Last full month (recommended)"),
                            ("minutes", "After 10 minutes"),
                        ],
                        default="month",
                        max_length=8,
                        verbose_name="export policy",
                    ),
                ),
                (
                    "needs_approval",
                    models.BooleanField(default=False, verbose_name="only after the entrepreneur's approval"),
                ),
                ("lock_after_export", models.BooleanField(default=True, verbose_name="lock documents after export")),
                ("name_by_invoice_date", models.BooleanField(default=False, verbose_name="name files by invoice date")),
                (
                    "export_uploaded_coda",
                    models.BooleanField(default=False, verbose_name="also export uploaded CODA statements"),
                ),
                (
                    "bob_reference_rule",
                    models.CharField(
                        choices=[
                            ("none", "None: set by hand per dossier"),
                            ("enterprise_number", "The enterprise number"),
                            ("sheet", "The dossier sheet's column"),
                        ],
                        default="none",
                        max_length=20,
                        verbose_name="Sage BOB reference of new dossiers",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("pk", 1)), name="export_defaults_single_row"),
                    models.CheckConstraint(
                        condition=models.Q(("policy__in", ["never", "month", "minutes"])),
                        name="export_defaults_policy_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("bob_reference_rule__in", ["none", "enterprise_number", "sheet"])),
                        name="export_defaults_bob_rule_valid",
                    ),
                ]
            },
        ),
    ]
